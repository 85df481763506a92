-- The monotonic odometer check of every mileage check-in looks for the highest distance
-- (mileage + odometer_offset) of the vehicle's earlier check-ins; with this index it reads the
-- top of the vehicle's entries instead of sorting all of them (issue 8).
CREATE INDEX checkins_vehicle_distance ON checkins (vehicle_id, type, (mileage + odometer_offset));
