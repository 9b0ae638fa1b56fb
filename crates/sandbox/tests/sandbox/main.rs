//! The simulators seen from raw HTTP on loopback, with no client crate: the contract details a
//! typed client would hide, the control API, the simulated clock and the faults.

mod clock;
mod faults;
mod quipt;
mod shipstation;
mod support;
mod users;
