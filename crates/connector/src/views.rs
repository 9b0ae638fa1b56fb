//! The history's questions the dashboard, the tray and the CLI ask the engine: one delegation
//! each to [`crate::history`] or [`crate::store`], on the read-only connection, so that they are
//! answered while a run holds the history ([`crate::sync::Context::reader`]).

use crate::store::orders::{OrderFilter, OrderRow};
use crate::store::runs::RunRow;
use crate::{Connector, Glance, Health, OrderDetail, Result, Status, history, store};

impl Connector {
    /// The current health.
    pub fn health(&self) -> Result<Health> {
        Ok(history::health(&self.ctx.reader(), self.ctx.now(), &self.ctx.schedule())?.health)
    }

    /// What the tray shows: the health with its reason and the last successful sync.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn glance(&self) -> Result<Glance> {
        history::glance(&self.ctx.reader(), self.ctx.now(), &self.ctx.schedule())
    }

    /// The dashboard's data, "today" in the computer's time zone.
    pub fn status(&self) -> Result<Status> {
        history::status(
            &self.ctx.reader(),
            self.ctx.now(),
            &chrono::Local,
            &self.ctx.schedule(),
        )
    }

    /// The history's order list.
    pub fn orders(&self, filter: &OrderFilter) -> Result<Vec<OrderRow>> {
        store::orders::list(&self.ctx.reader(), filter)
    }

    /// One order (by Quipt id, order number or tracking number) with its timeline.
    pub fn order(&self, search: &str) -> Result<Option<OrderDetail>> {
        history::order(&self.ctx.reader(), search)
    }

    /// The latest runs.
    pub fn runs(&self, limit: u32) -> Result<Vec<RunRow>> {
        store::runs::recent(&self.ctx.reader(), limit)
    }
}
