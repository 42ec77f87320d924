//! Running the real `moveworks` binary: a clean environment (no config
//! file of the machine's, no variables but the ones a test gives), stdin
//! fed and closed, and a check that the token was never printed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub use moveworks_testkit::mock_api::examples::{
    ANSWER, CONVERSATION_ID, HELPFUL_CALLBACK, MESSAGE_ID, RESPONSE_ID, USER_MESSAGE_ID,
};
pub use moveworks_testkit::{MockApi, ScriptedServer, SseEnd, Step, error_body};
pub use serde_json::Value;

pub const TOKEN: &str = "secret-token-4f9a";
pub const ASSISTANT: &str = "acme-assistant";

/// What a run left.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stdout_bytes: Vec<u8>,
    pub stderr: String,
}

/// One run of the binary.
#[derive(Clone, Debug)]
pub struct Moveworks {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
    home: PathBuf,
}

impl Moveworks {
    /// `moveworks args...`, with an empty home and config directory.
    pub fn new(args: &[&str]) -> Moveworks {
        Moveworks {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
            stdin: None,
            home: empty_home(),
        }
    }

    /// With the settings that reach `base_url` with [`TOKEN`] and [`ASSISTANT`].
    pub fn against(self, base_url: &str) -> Moveworks {
        self.env("MOVEWORKS_BASE_URL", base_url)
            .env("MOVEWORKS_ASSISTANT_NAME", ASSISTANT)
            .env("MOVEWORKS_API_TOKEN", TOKEN)
    }

    /// With OAuth client credentials (`client-1` and `secret`) taken to
    /// `token_url`, and the API at `base_url`.
    pub fn oauth(self, base_url: &str, token_url: &str, secret: &str) -> Moveworks {
        self.env("MOVEWORKS_BASE_URL", base_url)
            .env("MOVEWORKS_ASSISTANT_NAME", ASSISTANT)
            .env("MOVEWORKS_CLIENT_ID", "client-1")
            .env("MOVEWORKS_CLIENT_SECRET", secret)
            .env("MOVEWORKS_TOKEN_URL", token_url)
    }

    pub fn env(mut self, name: &str, value: &str) -> Moveworks {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// With this home folder (and `home/.config` as the config directory).
    pub fn home(mut self, home: &Path) -> Moveworks {
        self.home = home.to_owned();
        self
    }

    pub fn stdin(mut self, text: impl Into<Vec<u8>>) -> Moveworks {
        self.stdin = Some(text.into());
        self
    }

    /// The command, for tests that drive the process themselves.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_moveworks"));
        command
            .args(&self.args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    pub async fn run(self) -> Run {
        let mut command = self.command();
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let stdin = self.stdin.clone();
        let output = tokio::task::spawn_blocking(move || {
            let mut child = command.spawn().unwrap();
            let mut pipe = child.stdin.take().unwrap();
            if let Some(bytes) = stdin {
                // The program may rightly stop reading early.
                let _ = pipe.write_all(&bytes);
            }
            drop(pipe);
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap();
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stdout_bytes: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN),
            "the token was printed by {:?}: {run:?}",
            self.args
        );
        run
    }
}

/// A fresh empty folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("moveworks-cli-tests-{}/{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn empty_home() -> PathBuf {
    static HOME: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    HOME.get_or_init(|| temp_dir("empty-home")).clone()
}

pub async fn mock() -> MockApi {
    MockApi::start(TOKEN, ASSISTANT).await
}

pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// A loopback address nothing listens on.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// The body of an OAuth token endpoint handing out [`TOKEN`].
pub fn token_body() -> String {
    format!(r#"{{"access_token": "{TOKEN}", "token_type": "Bearer", "expires_in": 3600}}"#)
}

/// The JSON of a conversation, as create-conversation answers it.
pub fn conversation_body() -> String {
    moveworks_testkit::mock_api::examples::conversation(CONVERSATION_ID, Some("Password reset"))
        .to_string()
}
