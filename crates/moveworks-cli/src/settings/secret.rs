//! Reading a secret: from the environment, a file or stdin, trimmed of
//! the line break editors and `echo` add. Its value is never part of a
//! message.

use secrecy::SecretString;

use super::Secret;
use crate::failure::Failure;
use crate::stdin;

/// The secret's value; `what` names it in messages ("token").
pub async fn read(secret: &Secret, what: &str) -> Result<SecretString, Failure> {
    let (text, origin) = match secret {
        Secret::Env(var) => (
            std::env::var(var).unwrap_or_default(),
            format!("environment variable {var}"),
        ),
        Secret::Stdin(user) => {
            let bytes = stdin::read_all(user).await?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Failure::Usage(format!("the {what} on stdin ({user}) is not UTF-8"))
            })?;
            (text, format!("stdin ({user})"))
        }
        Secret::File(path, source) => {
            let origin = format!("{} ({source})", path.display());
            let bytes = std::fs::read(path).map_err(|error| {
                Failure::Usage(format!("cannot read the {what} file {origin}: {error}"))
            })?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Failure::Usage(format!("the {what} file {origin} is not UTF-8")))?;
            (text, origin)
        }
    };
    let value = text.trim();
    if value.is_empty() {
        return Err(Failure::Usage(format!("the {what} from {origin} is empty")));
    }
    Ok(SecretString::from(value.to_owned()))
}
