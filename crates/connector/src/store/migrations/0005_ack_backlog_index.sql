-- The acknowledgement backlog (orders ShipStation has whose acceptance in Quipt is not settled,
-- whatever their state since) is counted by every dashboard look and listed by every run: without
-- an index of its own that is a scan of every order (10 ms of the dashboard's 13 on 125,000
-- orders). Partial, so it holds only the few orders owed at a time; the WHERE is the one
-- `store::orders` queries with, word for word, so SQLite can use it.
CREATE INDEX orders_ack_owed ON orders(acknowledged) WHERE acknowledged = 0 AND ss_order_id IS NOT NULL;
