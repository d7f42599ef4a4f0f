"""BFCL helpers shared by the BFCL-compatible travel environments (travel_booking, vehicle_control)."""
