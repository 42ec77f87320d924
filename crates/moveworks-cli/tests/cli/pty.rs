//! A pseudo-terminal for the child's stderr, so that what the CLI does on
//! a real terminal (the spinner) can be seen, byte for byte.

use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::{Arc, Mutex};

/// The terminal's far end: everything the child writes to it.
pub struct Screen {
    bytes: Arc<Mutex<Vec<u8>>>,
    reader: std::thread::JoinHandle<()>,
}

/// A new pseudo-terminal: its child end, to give the child as stderr, and
/// the screen that collects what it writes.
pub fn open() -> (OwnedFd, Screen) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors into the integers given; the
    // name, termios and window size are optional and passed as null.
    let status = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(status, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    let (mut master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let bytes = Arc::new(Mutex::new(Vec::new()));
    let sink = bytes.clone();
    let reader = std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        // Reading fails (EIO) once every child end is closed.
        while let Ok(n) = master.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buffer[..n]);
        }
    });
    (slave, Screen { bytes, reader })
}

impl Screen {
    /// What was written so far.
    pub fn so_far(&self) -> Vec<u8> {
        self.bytes.lock().unwrap().clone()
    }

    /// Waits until `text` was written (at most 10 s).
    pub fn wait_for(&self, text: &str) {
        let started = std::time::Instant::now();
        while !String::from_utf8_lossy(&self.so_far()).contains(text) {
            assert!(
                started.elapsed().as_secs() < 10,
                "`{text}` never appeared: {:?}",
                String::from_utf8_lossy(&self.so_far())
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Everything, once the child and every copy of its end are gone.
    pub fn finish(self) -> Vec<u8> {
        self.reader.join().unwrap();
        Arc::try_unwrap(self.bytes).unwrap().into_inner().unwrap()
    }
}
