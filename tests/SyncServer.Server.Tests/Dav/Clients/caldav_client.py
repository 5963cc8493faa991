"""The python3-caldav library against SyncServer: create a calendar, save events and todos, search a time range that
holds an instance of a recurring event, and follow changes with sync tokens. Prints one 'ok <step>' line per step;
any failure raises (non-zero exit). Usage: caldav_client.py URL USER PASSWORD (TLS verification off: test certificate)."""
import sys
from datetime import datetime, timezone

import caldav
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the test certificate is self-signed

url, user, password = sys.argv[1:4]
client = caldav.DAVClient(url, username=user, password=password, ssl_verify_cert=False)
principal = client.principal()
print("ok principal", principal.url)

calendar = principal.make_calendar(name="Python", cal_id="python")
print("ok make_calendar", calendar.url)

calendar.save_event("""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//python-caldav test//EN
BEGIN:VEVENT
UID:py-weekly@test
DTSTAMP:20260101T000000Z
DTSTART:20260105T090000Z
DTEND:20260105T100000Z
RRULE:FREQ=WEEKLY;COUNT=10
SUMMARY:Weekly from python
END:VEVENT
END:VCALENDAR
""")
calendar.save_event("""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//python-caldav test//EN
BEGIN:VEVENT
UID:py-once@test
DTSTAMP:20260101T000000Z
DTSTART:20260601T090000Z
DTEND:20260601T100000Z
SUMMARY:Once from python
END:VEVENT
END:VCALENDAR
""")
calendar.save_todo("""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//python-caldav test//EN
BEGIN:VTODO
UID:py-todo@test
DTSTAMP:20260101T000000Z
SUMMARY:Todo from python
END:VTODO
END:VCALENDAR
""")
print("ok saved")

assert len(calendar.events()) == 2, calendar.events()
assert len(calendar.todos()) == 1, calendar.todos()
print("ok listed")

found = calendar.date_search(datetime(2026, 2, 2, tzinfo=timezone.utc), datetime(2026, 2, 3, tzinfo=timezone.utc), expand=False)
uids = sorted(str(e.vobject_instance.vevent.uid.value) for e in found)
assert uids == ["py-weekly@test"], uids
none = calendar.date_search(datetime(2026, 4, 1, tzinfo=timezone.utc), datetime(2026, 5, 1, tzinfo=timezone.utc), expand=False)
assert len(none) == 0, none
print("ok date_search")

updates = calendar.objects_by_sync_token(load_objects=True)
assert len(list(updates)) == 3
token = updates.sync_token
calendar.event_by_uid("py-once@test").delete()
calendar.save_event("""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//python-caldav test//EN
BEGIN:VEVENT
UID:py-new@test
DTSTAMP:20260101T000000Z
DTSTART:20260701T090000Z
DTEND:20260701T100000Z
SUMMARY:Added later
END:VEVENT
END:VCALENDAR
""")
changed = calendar.objects_by_sync_token(sync_token=token, load_objects=False)
urls = sorted(str(o.url).rsplit("/", 1)[-1] for o in changed)
assert len(urls) == 2, urls
assert changed.sync_token != token
print("ok sync_token", " ".join(urls))
