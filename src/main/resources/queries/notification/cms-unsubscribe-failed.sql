UPDATE suppressions SET cms_error = :#${exchangeProperty.cmsError} WHERE id = :#${exchangeProperty.suppression[id]}
