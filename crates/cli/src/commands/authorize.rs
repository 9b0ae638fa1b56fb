//! `authorize`: Quipt's OAuth 1.0a flow from a terminal. Prints the authorization URL, then waits
//! for the one-shot loopback callback or a verifier pasted on standard input, whichever comes first,
//! and keeps the access token in the keyring.

use crate::output;
use std::process::ExitCode;

use connector::credentials::{self, CredentialName, Secret};
use tokio::io::AsyncBufReadExt;
use zeroize::Zeroizing;

/// Arguments of `authorize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Do not listen on a loopback port: Quipt shows the verifier, paste it here.
    #[arg(long)]
    manual: bool,
}

/// Runs the flow; exit 0 when the token is stored.
pub async fn run(args: Args, paths: &connector::Paths) -> anyhow::Result<ExitCode> {
    let settings = connector::Settings::load(&paths.config_file).ok();
    let endpoints = connector::Endpoints::resolve(settings.as_ref());
    let consumer = quipt::ConsumerCredentials {
        key: lookup(CredentialName::QuiptConsumerKey)?,
        secret: lookup(CredentialName::QuiptConsumerSecret)?,
    };
    let authorization = quipt::oauth::Authorization::new(endpoints.quipt_app.clone(), consumer);
    let callback = if args.manual {
        None
    } else {
        Some(quipt::oauth::LoopbackCallback::bind().await?)
    };
    let callback_url = callback
        .as_ref()
        .map_or_else(|| "oob".to_string(), |c| c.url());
    let request = authorization.initiate(&callback_url).await?;
    let callback = callback.map(|c| c.expect(&request));
    output::say!("Open this address, log in as the Quipt API user and approve the connector:");
    output::say!("{}", authorization.authorize_url(&request));
    output::say!("(or paste the verifier here and press Enter)");
    use std::io::Write;
    std::io::stdout().flush()?;

    // The verifier is shown to the operator by Quipt and pasted in sight (it is good once, for
    // this request only), but the process keeps it no longer than the exchange: wiped on drop.
    let pasted = async {
        let mut line = Zeroizing::new(String::new());
        let mut stdin = tokio::io::BufReader::new(tokio::io::stdin());
        loop {
            line.clear();
            if stdin.read_line(&mut line).await? == 0 {
                std::future::pending::<()>().await;
            }
            if !line.trim().is_empty() {
                return anyhow::Ok(Zeroizing::new(line.trim().to_string()));
            }
        }
    };
    let verifier = match callback {
        Some(callback) => tokio::select! {
            received = callback.wait() => Zeroizing::new(received?.1),
            pasted = pasted => pasted?,
        },
        None => pasted.await?,
    };
    let token = authorization.exchange(&request, &verifier).await?;
    credentials::store(
        CredentialName::QuiptAccessToken,
        &Secret::new(token.token.clone()),
    )?;
    credentials::store(
        CredentialName::QuiptAccessTokenSecret,
        &Secret::new(token.secret.clone()),
    )?;
    output::say!("authorized: the access token is stored in the keyring");
    Ok(ExitCode::SUCCESS)
}

fn lookup(name: CredentialName) -> anyhow::Result<String> {
    let secret = credentials::lookup(name)?
        .ok_or_else(|| anyhow::anyhow!("{} is not set", name.env_var()))?;
    Ok(secret.expose_secret().to_string())
}
