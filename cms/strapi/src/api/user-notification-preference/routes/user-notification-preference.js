'use strict';

/** The core CRUD routes (/api/user-notification-preferences), for whoever manages the preferences. */
const { createCoreRouter } = require('@strapi/strapi').factories;

module.exports = createCoreRouter('api::user-notification-preference.user-notification-preference');
