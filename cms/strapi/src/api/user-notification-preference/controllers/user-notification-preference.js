'use strict';

/**
 * The core CRUD actions, plus findByUser: GET /api/user-notification-preferences/by-user/:companyId/:botId/:userEmail,
 * the one call ingest-notify makes. It answers {"data": {...}} with the user's record, or the defaults when there is
 * none (so a user who never set anything still gets digests). The email is matched case-insensitively: the pipeline
 * may report Ana@Example.com for a record saved as ana@example.com.
 */
const { createCoreController } = require('@strapi/strapi').factories;

const UID = 'api::user-notification-preference.user-notification-preference';

const FIELDS = [
  'company_id', 'bot_id', 'user_email', 'notification_enabled', 'batch_size_threshold',
  'notification_delay_minutes', 'email_format', 'include_success_details', 'include_error_details',
];

const DEFAULTS = {
  notification_enabled: true,
  batch_size_threshold: 5,
  notification_delay_minutes: 30,
  email_format: 'html',
  include_success_details: true,
  include_error_details: true,
};

const INTEGER = /^[0-9]{1,9}$/;

module.exports = createCoreController(UID, ({ strapi }) => ({
  async findByUser(ctx) {
    const { companyId, botId, userEmail } = ctx.params;
    if (!INTEGER.test(companyId) || !INTEGER.test(botId)) {
      return ctx.badRequest('companyId and botId must be non-negative integers');
    }
    const email = String(userEmail || '').trim();
    if (email === '' || email.length > 254) {
      return ctx.badRequest('userEmail must be an email address');
    }
    const company = Number(companyId);
    const bot = Number(botId);
    const found = await strapi.documents(UID).findFirst({
      filters: { company_id: company, bot_id: bot, user_email: { $eqi: email } },
      fields: FIELDS,
    });
    if (found) {
      ctx.body = { data: found };
      return;
    }
    ctx.body = { data: { company_id: company, bot_id: bot, user_email: email.toLowerCase(), ...DEFAULTS, is_default: true } };
  },
}));
