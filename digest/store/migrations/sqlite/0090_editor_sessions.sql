-- web: each editor's session version; a logout raises it, which ends every copy of the cookie.
CREATE TABLE editor_sessions (
    editor  TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
