//! The settings a profile can hold, by their names in the config file.

/// A setting a profile can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    BaseUrl,
    Host,
    BasePath,
    AssistantName,
    TokenUrl,
    ClientId,
    TokenFile,
    ClientSecretFile,
    TokenCommand,
}

impl Key {
    pub const ALL: [Key; 9] = [
        Key::BaseUrl,
        Key::Host,
        Key::BasePath,
        Key::AssistantName,
        Key::TokenUrl,
        Key::ClientId,
        Key::TokenFile,
        Key::ClientSecretFile,
        Key::TokenCommand,
    ];

    /// Its name in the config file.
    pub fn name(self) -> &'static str {
        match self {
            Key::BaseUrl => "base_url",
            Key::Host => "host",
            Key::BasePath => "base_path",
            Key::AssistantName => "assistant_name",
            Key::TokenUrl => "token_url",
            Key::ClientId => "client_id",
            Key::TokenFile => "token_file",
            Key::ClientSecretFile => "client_secret_file",
            Key::TokenCommand => "token_command",
        }
    }

    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|key| key.name() == name)
    }

    /// Whether its value is a path (relative to the config file's folder,
    /// or starting with `~/`).
    pub fn is_path(self) -> bool {
        matches!(self, Key::TokenFile | Key::ClientSecretFile)
    }
}

/// Names someone might give a secret in a profile, which holds only paths
/// to secret files.
pub fn names_a_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["token", "secret", "password"]
        .iter()
        .any(|word| name.contains(word))
        && Key::from_name(&name).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_secrets_are_recognised() {
        for key in Key::ALL {
            assert_eq!(Key::from_name(key.name()), Some(key));
        }
        for secret in [
            "token",
            "api_token",
            "client_secret",
            "Password",
            "access_token",
        ] {
            assert!(names_a_secret(secret), "{secret}");
        }
        for not_secret in [
            "token_file",
            "client_secret_file",
            "token_command",
            "client_id",
            "base_url",
        ] {
            assert!(!names_a_secret(not_secret), "{not_secret}");
        }
    }
}
