//! An answer lost after each kind of write: the simulator did the write, a proxy
//! (`net::AnswerDropper`) closed the connection instead of passing the answer on. Every write of
//! this client is safe to repeat — `createorders`/`createorder` upsert by `orderKey`, `DELETE`
//! only sets the order inactive — so the client repeats it, and nothing exists twice.

use shipstation::{Client, OrderQuery};

use crate::net::AnswerDropper;
use crate::{builder, default_sandbox, new_order};

async fn through_dropper(
    sandbox: &sandbox::RunningSandbox,
    pattern: &'static str,
) -> (Client, AnswerDropper) {
    let dropper = AnswerDropper::start(&sandbox.shipstation_url(), pattern, 1).await;
    let client = Client::builder(&dropper.url)
        .credentials(
            sandbox::demo_data::SHIPSTATION_API_KEY,
            sandbox::demo_data::SHIPSTATION_API_SECRET,
        )
        .backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(5),
        )
        .build()
        .unwrap();
    (client, dropper)
}

#[tokio::test]
async fn a_bulk_push_whose_answer_was_lost_is_repeated_and_creates_each_order_once() {
    let sandbox = default_sandbox().await;
    let (client, dropper) = through_dropper(&sandbox, "/orders/createorders").await;
    let batch = [new_order("L-1"), new_order("L-2")];
    let result = client
        .orders()
        .create_many(&batch)
        .await
        .expect("the repeat is answered");
    assert_eq!(dropper.dropped().len(), 1, "the first answer was dropped");
    assert!(!result.has_errors, "both upserts succeed: {result:?}");
    for number in ["L-1", "L-2"] {
        let found = client.orders().find_by_number(number).await.unwrap();
        assert_eq!(found.len(), 1, "{number} exists once, not twice");
    }
}

#[tokio::test]
async fn a_single_push_whose_answer_was_lost_is_repeated_and_creates_the_order_once() {
    let sandbox = default_sandbox().await;
    let (client, _dropper) = through_dropper(&sandbox, "/orders/createorder ").await;
    let order = client
        .orders()
        .create(&new_order("S-1"))
        .await
        .expect("the repeat is answered");
    let all = builder(&sandbox)
        .build()
        .unwrap()
        .orders()
        .list(&OrderQuery::default())
        .await
        .unwrap();
    assert_eq!(
        all.items.len(),
        1,
        "one order in ShipStation: {:?}",
        all.items
    );
    assert_eq!(
        all.items[0].order_id, order.order_id,
        "the one the repeat returned"
    );
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_is_repeated_without_an_error() {
    let sandbox = default_sandbox().await;
    let direct = builder(&sandbox).build().unwrap();
    let order = direct.orders().create(&new_order("D-1")).await.unwrap();
    let (client, dropper) = through_dropper(&sandbox, "DELETE").await;
    client
        .orders()
        .delete(order.order_id)
        .await
        .expect("deleting again changes nothing and is not an error");
    assert_eq!(dropper.dropped().len(), 1, "the first answer was dropped");
    assert!(
        direct
            .orders()
            .find_by_number("D-1")
            .await
            .unwrap()
            .is_empty(),
        "the order is inactive"
    );
}
