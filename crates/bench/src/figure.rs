//! The one output format: `figure: <name> <value> <unit> (target <t>)`, plus indented detail lines
//! that say how a figure was obtained.

/// Prints one figure.
pub fn print(name: &str, value: impl std::fmt::Display, unit: &str, target: &str, met: bool) {
    let verdict = if met { "met" } else { "MISSED" };
    println!("figure: {name} {value} {unit} (target {target}) {verdict}");
}

/// Prints how a figure was obtained.
pub fn detail(text: impl std::fmt::Display) {
    println!("  {text}");
}

/// The machine, for the record: CPU model and count, and the kernel.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    format!("{model}, {cpus} CPUs, Linux {kernel}")
}
