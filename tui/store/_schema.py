"""The database schema: tables, the indexes queries rely on, and its version.

``PRAGMA user_version`` holds SCHEMA_VERSION; a database with a higher one is from a newer
feedtui and is refused untouched (tui.store). MIGRATIONS[v] brings a database of version v to
v + 1 (after a backup copy); a new database is made from SCHEMA directly.
"""

SCHEMA_VERSION = 4

# No comments inside CREATE TABLE: SQLite keeps the statement's text, and ALTER TABLE ... DROP
# COLUMN edits that text (a comment after the last column would swallow the closing bracket).
# papers.arrival: the order papers were first stored in (meta 'arrival' counts up and is never
# reused), what a watch counts as new; a merge or refetch keeps it.
SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (
    id TEXT PRIMARY KEY,
    arxiv_id TEXT,
    title TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    abstract TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    pdf_url TEXT NOT NULL DEFAULT '',
    code_url TEXT NOT NULL DEFAULT '',
    project_url TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '[]',
    comment TEXT NOT NULL DEFAULT '',
    upvotes INTEGER,
    github_stars INTEGER,
    num_comments INTEGER,
    ai_summary TEXT NOT NULL DEFAULT '',
    ai_keywords TEXT NOT NULL DEFAULT '[]',
    announce_type TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    revision INTEGER NOT NULL,
    arrival INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS papers_newest ON papers (published DESC, id DESC);
CREATE INDEX IF NOT EXISTS papers_revision ON papers (revision);
CREATE TABLE IF NOT EXISTS paper_sources (
    paper_id TEXT NOT NULL,
    feed TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (paper_id, feed)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (
    paper_id TEXT PRIMARY KEY,
    read INTEGER NOT NULL DEFAULT 0,
    saved INTEGER NOT NULL DEFAULT 0,
    read_at TEXT,
    saved_at TEXT
);
CREATE TABLE IF NOT EXISTS feeds (
    name TEXT PRIMARY KEY,
    last_attempt TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    added_last INTEGER,
    updated_last INTEGER,
    skipped_last INTEGER,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    retry_at TEXT,
    fetched_day TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE INDEX IF NOT EXISTS papers_arrival ON papers (arrival);
-- Saved searches: `seen_arrival` is the arrival number the user last looked at them at.
CREATE TABLE IF NOT EXISTS watches (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    seen_arrival INTEGER NOT NULL,
    created TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
-- A paper's upvotes and stars each time a fetch saw them change (at most METRIC_POINTS kept).
CREATE TABLE IF NOT EXISTS metrics (
    paper_id TEXT NOT NULL,
    at TEXT NOT NULL,
    upvotes INTEGER,
    stars INTEGER,
    PRIMARY KEY (paper_id, at)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS metrics_at ON metrics (at);
-- The user's tags (normalised names, tui/tags.py) and one Markdown note per paper. Like
-- `state`, kept apart from `papers`: a refetch rewrites paper rows, never these.
CREATE TABLE IF NOT EXISTS tags (
    paper_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (paper_id, tag)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_by_name ON tags (tag, paper_id);
CREATE TABLE IF NOT EXISTS notes (
    paper_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The papers whose full text is kept offline (the Markdown is a file: tui/textcache.py).
CREATE TABLE IF NOT EXISTS fulltexts (
    paper_id TEXT PRIMARY KEY,
    chars INTEGER NOT NULL,
    source TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
"""

# Version 1 -> 2: arrival numbers (in the order papers were first stored), watches and the
# metric history. The new tables and indexes come from SCHEMA, which runs after this.
MIGRATIONS = {
    1: """
ALTER TABLE papers ADD COLUMN arrival INTEGER NOT NULL DEFAULT 0;
UPDATE papers SET arrival = numbered.n FROM (
    SELECT id, row_number() OVER (ORDER BY first_seen, revision) AS n FROM papers
) AS numbered WHERE papers.id = numbered.id;
INSERT OR REPLACE INTO meta VALUES ('arrival', (SELECT coalesce(max(arrival), 0) FROM papers));
""",
    # Version 2 -> 3: the tags and notes tables, which SCHEMA creates; nothing else changes.
    2: "",
    # Version 3 -> 4: the fulltexts table, which SCHEMA creates.
    3: "",
}

# Upvote/star history points kept per paper: about two months of daily changes.
METRIC_POINTS = 60


# `has:code` walks the newest-first order reading each paper's row (abstracts make rows big):
# 1.6 s cold at 100k. These partial indexes answer it from the index alone (~20 ms).
QUERY_INDEXES = {
    "papers_newest_with_code": "CREATE INDEX IF NOT EXISTS papers_newest_with_code "
    "ON papers (published DESC, id DESC) WHERE code_url != '';",
    "papers_newest_without_code": "CREATE INDEX IF NOT EXISTS papers_newest_without_code "
    "ON papers (published DESC, id DESC) WHERE code_url = '';",
}
