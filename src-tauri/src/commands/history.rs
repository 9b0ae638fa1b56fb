//! History: runs, the order list with filters, one order's timeline, CSV export.

use connector::OrderDetail;
use connector::store::orders::{OrderFilter, OrderRow};
use connector::store::runs::RunRow;
use tauri::{AppHandle, State};

use super::save_dialog::{self, SaveAs};
use crate::error::CommandResult;
use crate::state::AppState;

/// The latest runs.
#[tauri::command]
pub async fn runs(state: State<'_, AppState>, limit: u32) -> CommandResult<Vec<RunRow>> {
    let connector = state.engine().await?.connector;
    Ok(connector.read(move |c| c.runs(limit)).await?)
}

/// Orders matching the filter, newest change first.
#[tauri::command]
pub async fn orders(
    state: State<'_, AppState>,
    filter: OrderFilter,
) -> CommandResult<Vec<OrderRow>> {
    let connector = state.engine().await?.connector;
    Ok(connector.read(move |c| c.orders(&filter)).await?)
}

/// One order by Quipt or ShipStation order number, Quipt id or tracking number.
#[tauri::command]
pub async fn order_detail(
    state: State<'_, AppState>,
    search: String,
) -> CommandResult<Option<OrderDetail>> {
    let connector = state.engine().await?.connector;
    Ok(connector.read(move |c| c.order(search.trim())).await?)
}

/// Writes every order matching the filter (not only the screen's first 500) as CSV where the user
/// chooses (the save dialog); returns the path and the number of rows, or `None` when the dialog
/// was cancelled.
#[tauri::command]
pub async fn export_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: OrderFilter,
) -> CommandResult<Option<(String, usize)>> {
    let filter = connector::export::every_match(&filter);
    let rows = state
        .engine()
        .await?
        .connector
        .read(move |c| c.orders(&filter))
        .await?;
    let ask = SaveAs {
        kind: "CSV",
        extension: "csv",
        file_name: "quipt-shipstation-orders.csv".into(),
        automation_env: "QUIPT_SHIPSTATION_EXPORT_PATH",
    };
    let Some(path) = save_dialog::choose(&app, ask).await else {
        return Ok(None);
    };
    connector::export::save_orders(&path, &rows)?;
    super::folder::remember(&app, &path);
    Ok(Some((path.display().to_string(), rows.len())))
}
