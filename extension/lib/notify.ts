// System notifications. A notice that needs the options page gets a button
// where the browser supports buttons (Chrome) and is clickable everywhere.
import { t } from '@psst/i18n';
import type { Notice } from './share';

export const OPTIONS_NOTICE_PREFIX = 'psst-options-';

export interface NotificationsLike {
  create(
    id: string,
    options: { type: 'basic'; iconUrl: string; title: string; message: string; buttons?: { title: string }[] },
  ): Promise<unknown>;
}

export function createNotifier(notifications: NotificationsLike, iconUrl: string, supportsButtons: boolean) {
  let counter = 0;
  return async (notice: Notice): Promise<void> => {
    counter += 1;
    const id = `${notice.openOptions ? OPTIONS_NOTICE_PREFIX : 'psst-'}${Date.now()}-${counter}`;
    await notifications.create(id, {
      type: 'basic',
      iconUrl,
      title: notice.title,
      message: notice.message,
      ...(notice.openOptions && supportsButtons ? { buttons: [{ title: t('notification.openOptions') }] } : {}),
    });
  };
}

/** Whether clicking this notification (or its button) should open the options page. */
export function opensOptions(notificationId: string): boolean {
  return notificationId.startsWith(OPTIONS_NOTICE_PREFIX);
}
