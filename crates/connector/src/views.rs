//! The history's questions the dashboard, the tray and the CLI ask the engine: one delegation
//! each to [`crate::history`] or [`crate::store`], on the read-only connection, so that they are
//! answered while a run holds the history ([`crate::sync::Context::reader`]).

use crate::store::orders::{OrderFilter, OrderRow};
use crate::store::runs::RunRow;
use crate::{Connector, Glance, Health, OrderDetail, Result, Status, history, store};

impl Connector {
    /// The current health.
    pub fn health(&self) -> Result<Health> {
        Ok(history::health(&self.ctx.reader(), self.ctx.now(), &self.ctx.schedule())?.health)
    }

    /// What the tray shows: the health with its reason and the last successful sync.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn glance(&self) -> Result<Glance> {
        history::glance(&self.ctx.reader(), self.ctx.now(), &self.ctx.schedule())
    }

    /// The dashboard's data, "today" in the computer's time zone.
    pub fn status(&self) -> Result<Status> {
        history::status(
            &self.ctx.reader(),
            self.ctx.now(),
            &chrono::Local,
            &self.ctx.schedule(),
        )
    }

    /// The history's order list.
    pub fn orders(&self, filter: &OrderFilter) -> Result<Vec<OrderRow>> {
        store::orders::list(&self.ctx.reader(), filter)
    }

    /// One order (by Quipt id, order number or tracking number) with its timeline.
    pub fn order(&self, search: &str) -> Result<Option<OrderDetail>> {
        history::order(&self.ctx.reader(), search)
    }

    /// The latest runs.
    pub fn runs(&self, limit: u32) -> Result<Vec<RunRow>> {
        store::runs::recent(&self.ctx.reader(), limit)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, mpsc};
    use std::time::Duration;

    use crate::credentials::{Credentials, Secret};
    use crate::store::orders::OrderFilter;
    use crate::{Connector, Paths};

    /// The engine's own write connection taken, with a transaction open on it holding an order not
    /// yet committed (as a run's batch is at that moment): the questions of the dashboard, the tray
    /// and History are answered at once, with the committed state. Asked on the write connection, they
    /// would wait for the run's batch to end.
    #[test]
    fn the_dashboard_is_answered_while_the_engine_holds_its_own_write_connection() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths {
            config_file: dir.path().join("settings.toml"),
            data_dir: dir.path().join("data"),
        };
        let secret = || Secret::new("unused: nothing is sent");
        let credentials = Credentials {
            quipt_consumer_key: secret(),
            quipt_consumer_secret: secret(),
            quipt_access_token: secret(),
            quipt_access_token_secret: secret(),
            shipstation_api_key: secret(),
            shipstation_api_secret: secret(),
        };
        let connector =
            Arc::new(Connector::open(paths, crate::wizard::draft(), &credentials).unwrap());
        let ask = |c: &Connector| {
            (
                c.status().unwrap(),
                c.glance().unwrap(),
                c.health().unwrap(),
                c.orders(&OrderFilter::default()).unwrap().len(),
                c.runs(100).unwrap().len(),
                c.order("Q-UNCOMMITTED").unwrap().is_some(),
            )
        };
        let committed = ask(&connector);

        let writing = connector.ctx.db();
        writing
            .execute_batch(
                "BEGIN IMMEDIATE;
                 INSERT INTO orders(quipt_id, order_number, state, created_at, updated_at)
                 VALUES ('uncommitted', 'Q-UNCOMMITTED', 'held', '2020-01-01T00:00:00Z',
                         '2020-01-01T00:00:00Z');",
            )
            .unwrap();
        let (answer, answered) = mpsc::channel();
        let asking = Arc::clone(&connector);
        std::thread::spawn(move || {
            let _ = answer.send(ask(&asking));
        });
        let during = answered
            .recv_timeout(Duration::from_secs(5))
            .expect("answered while the engine writes, not after it");
        assert_eq!(
            during, committed,
            "the last committed state, without the order the engine has not committed"
        );
        writing.execute_batch("ROLLBACK").unwrap();
    }
}
