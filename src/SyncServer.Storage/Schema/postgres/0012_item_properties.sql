-- WebDAV properties of an item set by a client (PROPPATCH on a plain resource, the Content-Type of a PUT): dead
-- properties in any namespace. value is the property's XML element as text, as in collection_properties.
CREATE TABLE item_properties (
    item_id    BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    namespace  text NOT NULL,
    name       text NOT NULL,
    value      text NOT NULL,
    PRIMARY KEY (item_id, namespace, name)
);
