//! The client, configured from the environment, the global flags and the
//! token file. Secrets come only from the environment or the file.

use moveworks_ext::{Client, ClientBuilder, env};

use crate::args::Global;
use crate::failure::Failure;

pub fn client(global: &Global) -> Result<Client, Failure> {
    let token = match &global.token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::Usage(format!("cannot read --token-file {}: {e}", path.display()))
            })?;
            let token = text.trim().to_owned();
            if token.is_empty() {
                return Err(Failure::Usage(format!(
                    "--token-file {} is empty",
                    path.display()
                )));
            }
            Some(token)
        }
        None => None,
    };
    let lookup = |var: &str| -> Option<String> {
        let flag = match var {
            env::BASE_URL => global.base_url.clone(),
            env::ASSISTANT_NAME => global.assistant_name.clone(),
            env::API_TOKEN => token.clone(),
            _ => None,
        };
        flag.or_else(|| std::env::var(var).ok().filter(|v| !v.is_empty()))
    };
    let builder = ClientBuilder::from_env_with(lookup)?;
    Ok(builder
        .user_agent(format!("moveworks-cli/{}", env!("CARGO_PKG_VERSION")))
        .build()?)
}
