//! The Quipt simulator (skeleton; see the helper working on it).
use tokio::net::TcpListener;

/// Shared state of the Quipt simulator.
#[derive(Debug, Clone, Default)]
pub struct QuiptState;

impl QuiptState {
    /// Seeds the demo account.
    pub fn with_demo_data(_config: &crate::SandboxConfig) -> Self {
        Self
    }
}

/// Serves the simulator on `listener` until the task is aborted.
pub async fn serve(_listener: TcpListener, _state: QuiptState) {}
