-- Cases group evidence items and analysis reports, with tags and notes.
-- Portable SQL: the same script runs on SQLite and PostgreSQL. Times are
-- ISO-8601 UTC text so that both engines sort and compare them alike.
CREATE TABLE cases (
    name        VARCHAR(200) PRIMARY KEY,
    title       TEXT         NOT NULL,
    status      VARCHAR(20)  NOT NULL,
    created_at  VARCHAR(40)  NOT NULL,
    created_by  VARCHAR(200) NOT NULL
);

CREATE TABLE case_evidence (
    case_name   VARCHAR(200) NOT NULL REFERENCES cases(name),
    item_id     CHAR(64)     NOT NULL,
    added_at    VARCHAR(40)  NOT NULL,
    added_by    VARCHAR(200) NOT NULL,
    PRIMARY KEY (case_name, item_id)
);

CREATE TABLE case_reports (
    id          VARCHAR(64)  PRIMARY KEY,
    case_name   VARCHAR(200) NOT NULL REFERENCES cases(name),
    title       TEXT         NOT NULL,
    sha256      CHAR(64)     NOT NULL,
    content     TEXT         NOT NULL,
    added_at    VARCHAR(40)  NOT NULL,
    added_by    VARCHAR(200) NOT NULL
);

CREATE TABLE case_tags (
    case_name   VARCHAR(200) NOT NULL REFERENCES cases(name),
    tag         VARCHAR(100) NOT NULL,
    PRIMARY KEY (case_name, tag)
);

CREATE TABLE case_notes (
    id          VARCHAR(64)  PRIMARY KEY,
    case_name   VARCHAR(200) NOT NULL REFERENCES cases(name),
    body        TEXT         NOT NULL,
    added_at    VARCHAR(40)  NOT NULL,
    added_by    VARCHAR(200) NOT NULL
);

CREATE INDEX case_evidence_item ON case_evidence(item_id);
CREATE INDEX case_reports_case ON case_reports(case_name);
CREATE INDEX case_notes_case ON case_notes(case_name);
