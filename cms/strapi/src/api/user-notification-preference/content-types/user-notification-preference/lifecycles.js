'use strict';

/**
 * One preference record per company, bot and email, whatever the case of the address: the email is stored trimmed
 * and lower-cased, and a second record for the same user is refused (400) instead of shadowing the first.
 */
const { errors } = require('@strapi/utils');

const UID = 'api::user-notification-preference.user-notification-preference';

async function normaliseAndCheck(event, current) {
  const data = event.params.data || {};
  if (typeof data.user_email === 'string') {
    data.user_email = data.user_email.trim().toLowerCase();
  }
  const company = data.company_id !== undefined ? data.company_id : current && current.company_id;
  const bot = data.bot_id !== undefined ? data.bot_id : current && current.bot_id;
  const email = data.user_email !== undefined ? data.user_email : current && current.user_email;
  if (company === undefined || bot === undefined || !email) {
    return; // the content type's required fields are checked by Strapi itself
  }
  const where = { company_id: company, bot_id: bot, user_email: { $eqi: email } };
  if (current) {
    where.documentId = { $ne: current.documentId };
  }
  const other = await strapi.db.query(UID).findOne({ where, select: ['documentId'] });
  if (other) {
    throw new errors.ApplicationError(
      `A notification preference for company ${company}, bot ${bot} and ${email} exists already (${other.documentId})`);
  }
}

module.exports = {
  async beforeCreate(event) {
    await normaliseAndCheck(event, null);
  },

  async beforeUpdate(event) {
    const current = await strapi.db.query(UID).findOne({ where: event.params.where });
    await normaliseAndCheck(event, current);
  },
};
