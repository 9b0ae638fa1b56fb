//! WebKit's network process, which WebKit keeps for as long as the app's web context lives: ended
//! a while after the window went to the tray ([`crate::idle`]), and collected before the app
//! hands over to a fresh process ([`crate::handover`]), which would leave it as a zombie.

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

/// What the kernel names WebKit's network process (`comm`, cut to 15 bytes).
const NETWORK_PROCESS: &str = "WebKitNetworkPr";

/// Sends `signal` to this process's WebKit network processes; those it was sent to.
pub fn end(signal: Signal) -> Vec<Pid> {
    let me = std::process::id();
    let mut ended = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        if parent_and_name(&stat).is_some_and(|(ppid, name)| ppid == me && name == NETWORK_PROCESS)
            && kill(Pid::from_raw(pid), signal).is_ok()
        {
            ended.push(Pid::from_raw(pid));
        }
    }
    ended
}

/// Collects those of `ended` that have exited, leaving in it those still running. Asked of
/// `waitpid` itself, not of `/proc`: a multi-threaded process shows as a zombie before its last
/// thread has gone, and only then can it be collected; one GLib already collected (ECHILD) is
/// gone too.
pub fn collect(ended: &mut Vec<Pid>) {
    ended.retain(|pid| {
        matches!(
            waitpid(*pid, Some(WaitPidFlag::WNOHANG)),
            Ok(WaitStatus::StillAlive)
        )
    });
}

/// The parent's pid and the name in `/proc/<pid>/stat` ("pid (name) state ppid …"; the name
/// may hold spaces and parentheses, so it ends at the last ')').
fn parent_and_name(stat: &str) -> Option<(u32, &str)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?;
    let mut rest = stat.get(close + 1..)?.split_whitespace();
    let _state = rest.next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((ppid, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_gives_its_parent_and_name_even_with_spaces_and_parentheses() {
        assert_eq!(
            parent_and_name("4242 (WebKitNetworkPr) S 4200 4200 17 0 -1"),
            Some((4200, "WebKitNetworkPr"))
        );
        assert_eq!(
            parent_and_name("7 (odd (name) here) R 1 7 7 0"),
            Some((1, "odd (name) here"))
        );
        assert_eq!(parent_and_name("garbage"), None);
    }
}
