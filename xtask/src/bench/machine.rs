//! What machine and toolchain the figures come from, and when.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub memory: String,
    pub os: String,
    pub rustc: String,
    pub date: String,
}

impl Machine {
    /// `DATE: CPU, N cores, RAM, OS; rustc`, as the reports open with.
    pub fn summary(&self) -> String {
        format!(
            "{}: {}, {} cores, {} RAM, {}; {}",
            self.date, self.cpu, self.cores, self.memory, self.os, self.rustc
        )
    }

    pub fn describe() -> Machine {
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu: proc_field("/proc/cpuinfo", "model name")
                .unwrap_or_else(|| "unknown CPU".to_owned()),
            memory: proc_field("/proc/meminfo", "MemTotal")
                .and_then(|kib| kib.trim_end_matches(" kB").trim().parse::<u64>().ok())
                .map_or_else(
                    || "unknown".to_owned(),
                    |kib| format!("{:.0} GiB", kib as f64 / 1024.0 / 1024.0),
                ),
            os: command_line("uname", &["-sr"]).unwrap_or_else(|| std::env::consts::OS.to_owned()),
            rustc: command_line("rustc", &["--version"])
                .unwrap_or_else(|| "unknown rustc".to_owned()),
            date: today(),
        }
    }
}

fn proc_field(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    Some(line.split_once(':')?.1.trim().to_owned())
}

fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Today's UTC date, `YYYY-MM-DD`.
pub(crate) fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_days_to_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_418), (2025, 11, 26));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
