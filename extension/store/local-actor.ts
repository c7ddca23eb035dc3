/** Who a device's records and cards name before the first sign-in when no name is set in the settings; shown as "you". */
export const LOCAL_ACTOR = 'me';
