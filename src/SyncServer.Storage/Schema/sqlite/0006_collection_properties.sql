-- WebDAV properties of a collection set by a client (PROPPATCH, MKCALENDAR, extended MKCOL): displayname,
-- calendar-color, calendar-description, ... and dead properties. value is the property's XML element as text.
CREATE TABLE collection_properties (
    collection_id  INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    namespace      text NOT NULL,
    name           text NOT NULL,
    value          text NOT NULL,
    PRIMARY KEY (collection_id, namespace, name)
);
