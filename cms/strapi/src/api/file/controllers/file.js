'use strict';

/** The core actions; ingest-notify uses findOne (metadata), update (the mark after a digest) and delete (correction). */
const { createCoreController } = require('@strapi/strapi').factories;

module.exports = createCoreController('api::file.file');
