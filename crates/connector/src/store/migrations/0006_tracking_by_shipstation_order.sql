-- A ShipStation order id the operator searches for may be a part the warehouse split off an order
-- (its own id, the same order number): the history knows it only from the packages reported for
-- it. The search looks it up in `tracking` by that id, indexed like the other kinds of key.
CREATE INDEX tracking_ss_order ON tracking(ss_order_id);
