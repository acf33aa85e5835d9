"""Order state changes: placing (checkout), fulfilment (merchant), returns and refunds."""
