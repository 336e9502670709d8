"""The information campaign: events per school with their materials and people reached, their evidence files and
the county's coverage map. The pages are in the "activities" URL namespace."""
