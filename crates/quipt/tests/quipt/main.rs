//! The Quipt client against the Quipt simulator, over real HTTP on loopback. One binary, a module
//! per area. Each test starts its own sandbox on 127.0.0.1:0, so tests are independent.

mod faults;
mod malformed;
mod oauth_flow;
mod orders;
mod reference;
mod support;
mod writes;
