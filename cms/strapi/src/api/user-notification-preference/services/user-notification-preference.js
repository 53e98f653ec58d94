'use strict';

const { createCoreService } = require('@strapi/strapi').factories;

module.exports = createCoreService('api::user-notification-preference.user-notification-preference');
