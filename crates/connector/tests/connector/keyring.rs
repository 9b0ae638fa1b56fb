//! The real OS keyring (Secret Service from gnome-keyring in CI) and the promise that no credential
//! is ever written to the database, the settings file or the logs.

use connector::credentials::{self, CredentialName, Secret};

use crate::support::World;

#[test]
fn a_credential_survives_a_round_trip_through_the_os_keyring() {
    let name = CredentialName::ShipStationApiSecret;
    let value = format!("round-trip-{}", std::process::id());
    credentials::store(name, &Secret::new(value.clone()))
        .expect("the Secret Service stores the credential");
    let read = credentials::read(name)
        .expect("the keyring is readable")
        .expect("the credential is there");
    assert_eq!(read.expose_secret(), value, "the same value comes back");
    credentials::delete(name).expect("the credential is deleted");
    assert!(
        credentials::read(name).unwrap().is_none(),
        "nothing is left behind"
    );
}

#[tokio::test]
async fn no_credential_appears_in_the_database_settings_or_logs_after_a_full_run() {
    let world = World::new(40).await;
    world
        .settings
        .save(&world.paths().config_file)
        .expect("the settings are saved");
    world.sync().await;
    world.sync().await;
    let secrets = sandbox::demo_data::CREDENTIALS;
    let mut scanned = 0;
    for entry in walk(world.dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        scanned += 1;
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{} contains the credential {secret}",
                entry.display()
            );
        }
    }
    assert!(
        scanned >= 2,
        "the settings file and the database were scanned ({scanned} files)"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
