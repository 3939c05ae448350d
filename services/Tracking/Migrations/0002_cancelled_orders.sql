-- An order cancelled before it was booked (or whose pickup was closed) shows as cancelled, not pending forever.
alter table shipments add column cancelled_at timestamptz;
