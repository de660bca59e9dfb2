-- send: bounce reports (DSN) name the Message-ID of the copy that bounced; find its row fast.
CREATE INDEX deliveries_message_id ON deliveries(message_id);
