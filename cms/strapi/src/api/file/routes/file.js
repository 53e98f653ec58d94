'use strict';

/** /api/files: the core routes of the file content type (the upload plugin's own files are under /api/upload/files). */
const { createCoreRouter } = require('@strapi/strapi').factories;

module.exports = createCoreRouter('api::file.file');
