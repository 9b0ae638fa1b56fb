//! `credentials`: store the ShipStation key and secret in the keyring. The secret is read from
//! standard input — typed without echo on a terminal, or piped — never from the command line, so it
//! stays out of the shell's history and the process list.

use crate::output;
use std::process::ExitCode;

use connector::credentials::{self, CredentialName, Secret};

/// Arguments of `credentials`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ShipStation API key (Account → API Settings); the secret is read from standard input.
    #[arg(long)]
    shipstation_key: Option<String>,
    /// Remove every stored credential.
    #[arg(long, conflicts_with = "shipstation_key")]
    forget: bool,
}

/// Stores or forgets credentials.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.forget {
        for name in CredentialName::ALL {
            credentials::delete(name)?;
        }
        output::say!("credentials removed from the keyring");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(key) = args.shipstation_key else {
        anyhow::bail!("give --shipstation-key (and the secret on standard input) or --forget");
    };
    let secret = crate::secret_input::read_secret("ShipStation API secret: ")?;
    let secret = Secret::new(secret.as_str());
    if secret.expose_secret().is_empty() {
        anyhow::bail!("no secret given: the connector needs the v1 API key and its API secret");
    }
    credentials::store(CredentialName::ShipStationApiKey, &Secret::new(key))?;
    credentials::store(CredentialName::ShipStationApiSecret, &secret)?;
    output::say!("ShipStation credentials stored in the keyring");
    Ok(ExitCode::SUCCESS)
}
