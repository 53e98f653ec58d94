-- The host application's own migration, in Flyway's default place and history table (flyway_schema_history).
CREATE TABLE host_greetings (id int PRIMARY KEY, greeting text NOT NULL);
INSERT INTO host_greetings VALUES (1, 'hello from the host');
