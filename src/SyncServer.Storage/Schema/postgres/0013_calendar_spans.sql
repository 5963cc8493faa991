-- calendar_index.start_utc/end_utc are the time span a time-range query prefilters on (IStore.ListItemsInTimeSpanAsync).
-- Before 0013 a recurring object's end was the end of its 10,000th instance at most, so a longer recurrence could be left
-- out: open the end of every recurring object (a candidate for every range after its start; its next PUT computes it again).
UPDATE calendar_index SET end_utc = NULL WHERE is_recurring = true;
