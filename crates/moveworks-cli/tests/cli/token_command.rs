//! `--token-command`, `MOVEWORKS_TOKEN_COMMAND` and a profile's
//! `token_command`: a program that prints the bearer. Each test writes a
//! bash script into its own folder and runs it as `bash SCRIPT` (never
//! executed directly: a file just written may still be open for writing in
//! a process another test forks). The harness checks that [`TOKEN`], which
//! the scripts print, never shows in the CLI's output.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use moveworks_testkit::sse;

use crate::support::*;

/// A folder for one test, and a token command that runs `body` with the
/// folder as `$DIR`, counting its runs in `$DIR/runs`.
fn script(name: &str, body: &str) -> (PathBuf, String) {
    let dir = temp_dir(&format!("token-command-{name}"));
    let path = dir.join("token.sh");
    std::fs::write(
        &path,
        format!(
            "DIR='{}'\necho run >> \"$DIR/runs\"\n{body}\n",
            dir.display()
        ),
    )
    .unwrap();
    let command = format!("bash {}", path.display());
    (dir, command)
}

/// How often the script ran.
fn runs(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("runs"))
        .unwrap_or_default()
        .lines()
        .count()
}

/// `moveworks args...` against `base_url`, with no credential but what
/// the test gives.
fn moveworks(base_url: &str, args: &[&str]) -> Moveworks {
    Moveworks::new(args)
        .env("MOVEWORKS_BASE_URL", base_url)
        .env("MOVEWORKS_ASSISTANT_NAME", ASSISTANT)
}

/// A server answering `ask`: the new conversation, then a streamed answer.
async fn ask_server() -> ScriptedServer {
    ScriptedServer::start(vec![
        Step::json(201, &conversation_body()),
        Step::sse(sse::recorded()),
    ])
    .await
}

fn bearers(server: &ScriptedServer) -> Vec<String> {
    server
        .received()
        .iter()
        .map(|request| {
            request
                .header("authorization")
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bare_token_is_sent_and_the_command_runs_once_per_token() {
    let server = ask_server().await;
    let (dir, command) = script(
        "bare",
        &format!("echo 'helper: fetching a token' >&2\nprintf '  {TOKEN}  \\n'"),
    );
    let out = moveworks(
        &server.base_url,
        &["--token-command", &command, "ask", "hi"],
    )
    .run()
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(bearers(&server), vec![format!("Bearer {TOKEN}"); 2]);
    // A token without a lifetime lasts the cache's default: one run for
    // both requests.
    assert_eq!(runs(&dir), 1);
    // The program's own diagnostics reach the user.
    assert!(
        out.stderr.contains("helper: fetching a token"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn json_with_expires_in_from_the_environment() {
    let server = ask_server().await;
    let (dir, command) = script(
        "expires-in",
        &format!(r#"echo '{{"access_token": "{TOKEN}", "expires_in": 3600, "scope": "chat"}}'"#),
    );
    let out = moveworks(&server.base_url, &["ask", "hi"])
        .env("MOVEWORKS_TOKEN_COMMAND", &command)
        .run()
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(bearers(&server), vec![format!("Bearer {TOKEN}"); 2]);
    assert_eq!(runs(&dir), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn json_with_expires_at_from_a_profile() {
    let at = |from_now: i64| {
        let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
        (now + chrono::Duration::seconds(from_now)).to_rfc3339()
    };
    for (name, expires_at, code) in [("future", at(3600), 0), ("past", at(-60), 6)] {
        let server = ScriptedServer::start(vec![Step::json(200, &conversation_body())]).await;
        let (dir, command) = script(
            &format!("expires-at-{name}"),
            &format!(r#"echo '{{"access_token": "{TOKEN}", "expires_at": "{expires_at}"}}'"#),
        );
        let home = dir.join("home");
        let config = home.join(".config/moveworks/config.toml");
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        std::fs::write(&config, format!("[default]\ntoken_command = '{command}'\n")).unwrap();
        let out = moveworks(&server.base_url, &["conversations", "get", CONVERSATION_ID])
            .home(&home)
            .run()
            .await;
        assert_eq!(out.code, code, "{name}: {}", out.stderr);
        if code == 0 {
            assert_eq!(bearers(&server), [format!("Bearer {TOKEN}")]);
        } else {
            assert!(
                out.stderr.contains("printed an expires_at that has passed"),
                "{}",
                out.stderr
            );
            assert_eq!(server.count(), 0);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_runs_the_command_again() {
    let server = ScriptedServer::start(vec![
        Step::json(401, &error_body("UNAUTHORIZED", "token revoked")),
        Step::json(200, &conversation_body()),
    ])
    .await;
    let (dir, command) = script(
        "refresh",
        &format!(r#"echo "{TOKEN}-$(wc -l < "$DIR/runs")""#),
    );
    let out = moveworks(
        &server.base_url,
        &["--token-command", &command, "conversations", "get", "c"],
    )
    .run()
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        bearers(&server),
        [format!("Bearer {TOKEN}-1"), format!("Bearer {TOKEN}-2")]
    );
    assert_eq!(runs(&dir), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_command_exits_6_with_its_status_and_never_its_output() {
    let server = ScriptedServer::start(vec![Step::json(200, &conversation_body())]).await;
    let (_dir, command) = script(
        "failing",
        &format!("echo '{TOKEN}'\necho 'helper: the vault is locked' >&2\nexit 3"),
    );
    let get = ["--token-command", &command, "conversations", "get", "c"];
    let out = moveworks(&server.base_url, &get).run().await;
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(
        out.stderr.contains("helper: the vault is locked"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with(
            "error: authentication failed: the token command `bash` (from --token-command) \
             exited with status 3\n"
        ),
        "{}",
        out.stderr
    );

    let mut json = vec!["--json"];
    json.extend(get);
    let out = moveworks(&server.base_url, &json).run().await;
    assert_eq!(out.code, 6, "{}", out.stderr);
    let error: Value = serde_json::from_str(out.stderr.lines().last().unwrap()).unwrap();
    assert_eq!(error["kind"], "auth", "{error}");
    assert_eq!(error["exit_code"], 6, "{error}");

    // A program that cannot be run at all.
    let out = moveworks(
        &server.base_url,
        &[
            "--token-command",
            "/nonexistent/get-token",
            "conversations",
            "list",
        ],
    )
    .run()
    .await;
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "the token command `/nonexistent/get-token` (from --token-command) could not be run"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(server.count(), 0, "a request went without a token");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_output_exits_6_naming_its_shape() {
    let server = ScriptedServer::start(vec![Step::json(200, &conversation_body())]).await;
    for (name, body, expected) in [
        ("nothing", "echo '   '".to_owned(), "printed nothing"),
        (
            "no-access-token",
            format!(r#"echo '{{"token": "{TOKEN}"}}'"#),
            "printed JSON without an access_token",
        ),
        (
            "two-lines",
            format!("echo {TOKEN}; echo {TOKEN}"),
            "printed more than one line",
        ),
        (
            "two-lifetimes",
            format!(
                r#"echo '{{"access_token": "{TOKEN}", "expires_in": 60, "expires_at": "2099-01-01T00:00:00Z"}}'"#
            ),
            "printed both expires_in and expires_at",
        ),
    ] {
        let (_dir, command) = script(&format!("bad-{name}"), &body);
        let out = moveworks(
            &server.base_url,
            &["--token-command", &command, "conversations", "get", "c"],
        )
        .run()
        .await;
        assert_eq!(out.code, 6, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
    }
    assert_eq!(server.count(), 0);

    // A command line that cannot be split is a usage error.
    let out = moveworks(
        &server.base_url,
        &[
            "--token-command",
            "get-token 'acme",
            "conversations",
            "get",
            "c",
        ],
    )
    .run()
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: the token command (from --token-command) has a single quote at character 11 \
         that is never closed\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn arguments_reach_the_program_exactly_without_a_shell() {
    let server = ScriptedServer::start(vec![Step::json(200, &conversation_body())]).await;
    let (dir, command) = script(
        "arguments",
        &format!("printf '%s\\0' \"$@\" > \"$DIR/args\"\necho {TOKEN}"),
    );
    let line = format!(r#"{command} 'a  b' "c \"d\" \$e \\" f\ g '' "h'i" * 'x|y'"#);
    let out = moveworks(
        &server.base_url,
        &["--token-command", &line, "conversations", "get", "c"],
    )
    .run()
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let args = std::fs::read(dir.join("args")).unwrap();
    let args: Vec<&str> = std::str::from_utf8(&args)
        .unwrap()
        .strip_suffix('\0')
        .unwrap()
        .split('\0')
        .collect();
    // No expansion: the `*` is a `*`, not the files of any folder.
    assert_eq!(
        args,
        ["a  b", r#"c "d" $e \"#, "f g", "", "h'i", "*", "x|y"]
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_command_is_cut_at_the_timeout_and_killed() {
    let server = ScriptedServer::start(vec![Step::json(200, &conversation_body())]).await;
    // `exec`: the process whose pid is written is the one that hangs.
    let (dir, command) = script("hang", "echo $$ > \"$DIR/pid\"\nexec sleep 30");
    let started = Instant::now();
    let out = moveworks(
        &server.base_url,
        &[
            "--timeout",
            "1",
            "--token-command",
            &command,
            "conversations",
            "get",
            "c",
        ],
    )
    .run()
    .await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        out.stderr.contains("getting an access token"),
        "{}",
        out.stderr
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 0);

    let pid: i32 = std::fs::read_to_string(dir.join("pid"))
        .expect("the command wrote its pid")
        .trim()
        .parse()
        .unwrap();
    // The kill was sent before the CLI exited; its delivery is the
    // kernel's, so wait for it, within a bound.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !gone(pid) {
        assert!(
            Instant::now() < deadline,
            "the token command {pid} still runs"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Whether `pid` no longer runs: it does not exist, or is a zombie (dead,
/// left for a parent that does not reap it).
#[cfg(unix)]
fn gone(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    if unsafe { libc::kill(pid, 0) } != 0 {
        return true;
    }
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z'))
    })
}
