-- Offline capture (the workstation's queue): a receipt or grading captured on a device without a network is sent later
-- with capturedAt, the moment it was taken. received_at and graded_at hold that moment (the day, harvest-age and
-- FIFO rules read them); captured_at keeps that the time came from the device (null when the server's clock gave it).
alter table receipts add column captured_at timestamptz;
alter table gradings add column captured_at timestamptz;
