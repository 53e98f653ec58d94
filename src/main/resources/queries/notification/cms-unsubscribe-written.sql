UPDATE suppressions SET cms_pending = FALSE, cms_error = NULL WHERE id = :#${exchangeProperty.suppression[id]}
