'use strict';

/**
 * ingest-notify's calls; token permissions: User-notification-preference → findByUser (the preference look-up) and
 * unsubscribe (a recipient's one-click unsubscribe: notification_enabled = false, nothing else).
 */
module.exports = {
  routes: [
    {
      method: 'GET',
      path: '/user-notification-preferences/by-user/:companyId/:botId/:userEmail',
      handler: 'user-notification-preference.findByUser',
      config: { policies: [] },
    },
    {
      method: 'PUT',
      path: '/user-notification-preferences/by-user/:companyId/:botId/:userEmail/unsubscribe',
      handler: 'user-notification-preference.unsubscribe',
      config: { policies: [] },
    },
  ],
};
