"""Group deliveries: distribution lists (one kind of material help at a school on a day, ticked from the programme's
children of the school) and recurring groups (after-school, summer school, remedial classes) with daily attendance.
Every tick is an `Intervention` without a case, so it counts wherever services are counted."""
