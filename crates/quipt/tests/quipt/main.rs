//! The Quipt client against the Quipt simulator, over real HTTP on loopback. One binary, a module
//! per area. Each test starts its own sandbox on 127.0.0.1:0, so tests are independent.

mod callback;
mod company_network;
mod faults;
mod hostile;
mod lost_answers;
mod malformed;
mod net;
mod oauth_flow;
mod orders;
mod properties;
mod reference;
mod simulated_time;
mod support;
mod writes;
