'use strict';

/** ingest-notify's preference look-up; token permission: User-notification-preference → findByUser. */
module.exports = {
  routes: [
    {
      method: 'GET',
      path: '/user-notification-preferences/by-user/:companyId/:botId/:userEmail',
      handler: 'user-notification-preference.findByUser',
      config: { policies: [] },
    },
  ],
};
