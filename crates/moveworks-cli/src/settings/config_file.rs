//! Finding and reading the config file, and picking its profile.

use std::path::{Path, PathBuf};

use super::profile::{self, Profile};
use super::source::Source;
use crate::failure::Failure;

/// The config file in the platform's config directory
/// (`$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application
/// Support` on macOS, `%APPDATA%` on Windows), if there is a home folder.
pub fn default_path() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.config_dir().join("moveworks").join("config.toml"))
}

/// The profile to take settings from.
///
/// `explicit` is a profile the user asked for (by flag or environment):
/// it must exist. Without one, the `default` profile is used if the file
/// has one, and a missing file is no error. `path` is the config file
/// (`--config`, which must exist, else the platform's).
pub fn select(
    explicit: Option<(&str, Source)>,
    path: Option<&Path>,
) -> Result<Option<Profile>, Failure> {
    let (path, path_named) = match path {
        Some(path) => (Some(path.to_owned()), true),
        None => (default_path(), false),
    };
    let Some(path) = path else {
        return match explicit {
            Some((name, source)) => Err(Failure::Usage(format!(
                "profile `{name}` ({source}) needs a config file, and there is no home folder \
                 to find one in; give --config PATH"
            ))),
            None => Ok(None),
        };
    };
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            Failure::Usage(format!("{}: the config file is not UTF-8", path.display()))
        })?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return match (&explicit, path_named) {
                (_, true) => Err(Failure::Usage(format!(
                    "--config {}: no such file",
                    path.display()
                ))),
                (Some((name, source)), false) => Err(Failure::Usage(format!(
                    "profile `{name}` ({source}): there is no config file at {}",
                    path.display()
                ))),
                (None, false) => Ok(None),
            };
        }
        Err(error) => {
            return Err(Failure::Usage(format!(
                "cannot read the config file {}: {error}",
                path.display()
            )));
        }
    };
    let mut profiles = profile::parse(&path, &text)?;
    match explicit {
        Some((name, source)) => profiles.remove(name).map(Some).ok_or_else(|| {
            let known: Vec<String> = profiles.keys().map(|name| format!("`{name}`")).collect();
            Failure::Usage(format!(
                "no profile `{name}` ({source}) in {}; it has {}",
                path.display(),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        }),
        None => Ok(profiles.remove("default")),
    }
}
