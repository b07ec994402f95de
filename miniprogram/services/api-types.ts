/**
 * Generated from docs/openapi.json by `npm run openapi` (openapi-typescript); do not edit.
 * `npm run lint` fails when this file is stale.
 */

export interface paths {
  '/api/admin/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Staff sign-in with username and password (5 failures lock that username from that client address for 15 minutes) */
    post: operations['postAdminAuthLogin'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/staff': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List staff accounts */
    get: operations['getAdminStaff'];
    put?: never;
    /** Create a staff account with a username, password and role */
    post: operations['postAdminStaff'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/staff/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change a staff member's role, name or password, or disable/enable the account */
    patch: operations['patchAdminStaffById'];
    trace?: never;
  };
  '/api/admin/audit-logs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Staff actions, newest first */
    get: operations['getAdminAuditLogs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Payments ledger (status, settlement status, order, keyword, creation time range) */
    get: operations['getAdminPayments'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/refunds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Refunds ledger */
    get: operations['getAdminRefunds'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/finance/settlements': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Electricians' shares by settlement status, and how many are due now */
    get: operations['getAdminFinanceSettlements'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/finance/reconciliation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Reconciliation per Beijing day for a date range (format=csv for a download) */
    get: operations['getAdminFinanceReconciliation'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/orders/{id}/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An order's payments and refunds */
    get: operations['getAdminOrdersByIdPayments'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/wechat-login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Log in with a wx.login code (dev mode: dev-<name>) */
    post: operations['postAuthWechatLogin'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rotate a refresh token; the old one is revoked */
    post: operations['postAuthRefresh'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke the current session */
    post: operations['postAuthLogout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/sms-code': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a phone verification code (1 per minute, 10 per day per phone) */
    post: operations['postAuthSmsCode'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/bind-phone': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Bind a phone number with a WeChat phone code or an SMS code */
    post: operations['postAuthBindPhone'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My profile */
    get: operations['getUsersMe'];
    /** The same partial update as PATCH, for the mini-program (wx.request cannot send PATCH) */
    put: operations['putUsersMe'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Update my profile */
    patch: operations['patchUsersMe'];
    trace?: never;
  };
  '/api/users/me/delete-account': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Delete my account (注销): profile, phone, avatar, addresses and electrician profile erased; orders, payments and reviews kept anonymised; every session signed out. 409 ACCOUNT_BUSY while an order is active or a complaint open */
    post: operations['postUsersMeDeleteAccount'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List and search users */
    get: operations['getAdminUsers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/users/{id}/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ban or reinstate a user (a ban signs them out everywhere) */
    post: operations['postAdminUsersByIdStatus'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/addresses': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My addresses, the default first */
    get: operations['getAddresses'];
    put?: never;
    /** Save an address (the first is the default; at most 20, else 409 ADDRESS_LIMIT) */
    post: operations['postAddresses'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/addresses/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** The same partial update as PATCH, for the mini-program (wx.request cannot send PATCH) */
    put: operations['putAddressesById'];
    post?: never;
    /** Delete an address (deleting the default makes the most recent other one the default) */
    delete: operations['deleteAddressesById'];
    options?: never;
    head?: never;
    /** Change an address; isDefault: true makes it the only default */
    patch: operations['patchAddressesById'];
    trace?: never;
  };
  '/api/electricians/apply': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Apply to become an electrician (again, after a rejection) */
    post: operations['postElectriciansApply'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/electricians/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My electrician profile (404 before applying) */
    get: operations['getElectriciansMe'];
    /** The same partial update as PATCH, for the mini-program (wx.request cannot send PATCH) */
    put: operations['putElectriciansMe'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Update my work status, preferences and location */
    patch: operations['patchElectriciansMe'];
    trace?: never;
  };
  '/api/electricians/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Public profile of an approved electrician */
    get: operations['getElectriciansById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/electricians': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List and search electrician applications */
    get: operations['getAdminElectricians'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/electricians/{id}/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve or reject a pending application (a note is required to reject) */
    post: operations['postAdminElectriciansByIdVerify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/pricing': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Visit fee and estimate per fault type (fen), shown before ordering */
    get: operations['getOrdersPricing'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/hall': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Pending orders within a radius, nearest first, privacy-masked (approved, online electricians) */
    get: operations['getOrdersHall'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My orders (as customer or as electrician) */
    get: operations['getOrders'];
    put?: never;
    /** Place an order (optional Idempotency-Key header: a retry within 24 h returns the first order) */
    post: operations['postOrders'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Order detail (full for its parties and staff, masked for electricians viewing the hall) */
    get: operations['getOrdersById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Order timeline, oldest first */
    get: operations['getOrdersByIdEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/grab': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Grab a pending order (409 ORDER_TAKEN if someone was first) */
    post: operations['postOrdersByIdGrab'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/dispatch/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept a dispatch offer */
    post: operations['postOrdersByIdDispatchAccept'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/dispatch/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a dispatch offer */
    post: operations['postOrdersByIdDispatchReject'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/arrive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Check in on site */
    post: operations['postOrdersByIdArrive'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/release': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Give the order back to the hall */
    post: operations['postOrdersByIdRelease'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/quote': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Quote labour and materials (fen); lines with catalogItemId are priced against the price list (400 PRICE_ABOVE_CEILING, CATALOG_ITEM_UNAVAILABLE) */
    post: operations['postOrdersByIdQuote'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/quote/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept the quote */
    post: operations['postOrdersByIdQuoteAccept'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/quote/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject the quote */
    post: operations['postOrdersByIdQuoteReject'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Complete with repair content and photos */
    post: operations['postOrdersByIdComplete'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel (after arrival the visit fee is due) */
    post: operations['postOrdersByIdCancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/orders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List and search all orders */
    get: operations['getAdminOrders'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/orders/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Order detail with timeline, quotes and dispatch offers */
    get: operations['getAdminOrdersById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/orders/{id}/candidates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Electricians to assign the order to: nearest first, then least loaded */
    get: operations['getAdminOrdersByIdCandidates'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/orders/{id}/assign': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Assign to an eligible electrician */
    post: operations['postAdminOrdersByIdAssign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/orders/{id}/unassign': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Take the order back to the hall */
    post: operations['postAdminOrdersByIdUnassign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/orders/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel with a reason */
    post: operations['postAdminOrdersByIdCancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Dashboard figures */
    get: operations['getAdminStats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Upload an image (multipart: file, purpose); JPEG, PNG or WebP by content, at most MAX_UPLOAD_MB. Purpose invoice: staff with finance.invoices only (else 403), and a PDF is accepted too */
    post: operations['postUploads'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/uploads/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of my uploads (admins: any), with a fresh signed URL */
    get: operations['getUploadsById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/files/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The bytes of a locally stored upload (or a redirect to COS); 403 for a bad or expired signature */
    get: operations['getFilesById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/chat/conversations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My conversations (staff: also every customer-service one), with the last message and unread count */
    get: operations['getChatConversations'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/chat/customer-service': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** My customer-service conversation with the staff (created once) */
    post: operations['postChatCustomerService'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/chat/conversations/{id}/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Messages, newest first; pass nextCursor as `before` for older ones */
    get: operations['getChatConversationsByIdMessages'];
    put?: never;
    /** Send a text or image message; the same clientId returns the first message instead of a duplicate */
    post: operations['postChatConversationsByIdMessages'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/chat/conversations/{id}/read': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark messages read up to an id; the other participants get message-read */
    post: operations['postChatConversationsByIdRead'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/chat/conversations/{id}/claim': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pick up a customer-service conversation (status with_agent, assignee me); 409 CONVERSATION_TAKEN when a colleague has it. An agent’s first reply picks it up too. */
    post: operations['postAdminChatConversationsByIdClaim'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/chat/conversations/{id}/release': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End the human service (结束人工服务): the customer-service conversation goes back to the bot (status bot, no assignee) with a system line; the next escalation notifies every agent again */
    post: operations['postAdminChatConversationsByIdRelease'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My notifications, newest first, by type and read status */
    get: operations['getMessages'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages/unread-count': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My unread notifications, in total and by type */
    get: operations['getMessagesUnreadCount'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages/read-all': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark all my notifications read */
    post: operations['postMessagesReadAll'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages/{id}/read': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark one of my notifications read */
    post: operations['postMessagesByIdRead'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/messages/subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The subscribe-message templates to request, and my remaining one-time grants */
    get: operations['getMessagesSubscriptions'];
    put?: never;
    /** Record the grants of a wx.requestSubscribeMessage answer (one send per accepted template) */
    post: operations['postMessagesSubscriptions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/complaints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Complain about my completed order within the warranty period (one open complaint per order) */
    post: operations['postOrdersByIdComplaints'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/complaints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My complaints (a customer's own, or as an electrician those about my orders) */
    get: operations['getComplaints'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/complaints/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A complaint with its history (its customer, the order’s electrician, staff) */
    get: operations['getComplaintsById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/complaints/{id}/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The customer adds a message (and photos) to their complaint while it is handled */
    post: operations['postComplaintsByIdMessages'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/complaints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** All complaints, newest first, filtered by status, level, type and keyword (order no. or content) */
    get: operations['getAdminComplaints'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/complaints/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A complaint with its history */
    get: operations['getAdminComplaintsById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/complaints/{id}/reply': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reply to a complaint (open → processing) */
    post: operations['postAdminComplaintsByIdReply'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/complaints/{id}/escalate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Escalate the level: normal → serious → critical (409 ALREADY_CRITICAL) */
    post: operations['postAdminComplaintsByIdEscalate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/complaints/{id}/resolve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resolve: rework (the order returns to its electrician, free), refund (refundAmount fen, through WeChat Pay), compensate, or reject */
    post: operations['postAdminComplaintsByIdResolve'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/reviews/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The fixed list of review tags */
    get: operations['getReviewsTags'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The order's review, for its customer, its electrician and staff (404 when none) */
    get: operations['getOrdersByIdReview'];
    put?: never;
    /** Review my completed, paid order, once (409 ALREADY_REVIEWED); images are my 'review' uploads */
    post: operations['postOrdersByIdReview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/electricians/{id}/reviews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An electrician's visible reviews, newest first; reviewers masked (匿名用户 when anonymous) */
    get: operations['getElectriciansByIdReviews'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/reviews/{id}/reply': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** The order's electrician replies to the review, once (409 ALREADY_REPLIED) */
    post: operations['postReviewsByIdReply'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/reviews/{id}/helpful': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark a review helpful (once per user; a repeat changes nothing) */
    post: operations['postReviewsByIdHelpful'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/reviews/{id}/report': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Report a review to staff (once per user; a repeat changes nothing) */
    post: operations['postReviewsByIdReport'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/reviews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Reviews for moderation, newest first (filter by status, electrician, reported only) */
    get: operations['getAdminReviews'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/reviews/{id}/hide': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Hide a review with a reason; it stops counting towards the electrician's rating (hiding twice is harmless) */
    post: operations['postAdminReviewsByIdHide'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/reviews/{id}/unhide': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Show a hidden review again; it counts towards the electrician's rating again */
    post: operations['postAdminReviewsByIdUnhide'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/payments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start paying an order: JSAPI prepay; answers wx.requestPayment params (reuses an open payment) */
    post: operations['postPayments'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/payments/notify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** WeChat Pay v3 payment notify: 204 when handled, 401 INVALID_SIGNATURE when unverifiable */
    post: operations['postPaymentsNotify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/payments/refund-notify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** WeChat Pay v3 refund notify: 204 when handled, 401 INVALID_SIGNATURE when unverifiable */
    post: operations['postPaymentsRefundNotify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/payments/{paymentNo}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Payment status (asks WeChat Pay while still pending) */
    get: operations['getPaymentsByPaymentNo'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/electricians/me/earnings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My earnings: total, pending settlement, settled (fen, net of refunds) and the credited payments */
    get: operations['getElectriciansMeEarnings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/orders/{id}/refund': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refund a paid order, fully or partly (each refund has its own out_refund_no; never more than paid) */
    post: operations['postAdminOrdersByIdRefund'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/dev/payments/{paymentNo}/succeed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Dev pay mode: send a signed, encrypted success notify through the real notify handler */
    post: operations['postDevPaymentsByPaymentNoSucceed'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/catalog/items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The price list (价目表): active labour items and materials with standard and ceiling prices (fen) */
    get: operations['getCatalogItems'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/warehouses': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The active warehouses an electrician may ask for parts (name and address) */
    get: operations['getWarehouses'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/parts-requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The order's parts requests (its electrician; staff who read stock or orders) */
    get: operations['getOrdersByIdPartsRequests'];
    put?: never;
    /** Ask a warehouse for parts for my order (accepted … in progress): active materials of the price list, whole quantities (400 CATALOG_ITEM_UNAVAILABLE, WAREHOUSE_UNAVAILABLE; 409 INVALID_TRANSITION) */
    post: operations['postOrdersByIdPartsRequests'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/parts-requests/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Withdraw my pending or approved request (an approved one’s reservation is released) */
    post: operations['postPartsRequestsByIdCancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/parts-requests/{id}/settle': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record what was used of my issued parts (used ≤ issued, every line); the rest returns to stock */
    post: operations['postPartsRequestsByIdSettle'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/catalog/items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The whole price list, retired items included (filter by active, fault type, category, keyword) */
    get: operations['getAdminCatalogItems'];
    put?: never;
    /** Add a price-list item (409 CATALOG_CODE_EXISTS) */
    post: operations['postAdminCatalogItems'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/catalog/items/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change a price-list item (prices, fault types, safety stock; active: false retires it) */
    patch: operations['patchAdminCatalogItemsById'];
    trace?: never;
  };
  '/api/admin/warehouses': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Warehouses */
    get: operations['getAdminWarehouses'];
    put?: never;
    /** Add a warehouse (409 WAREHOUSE_EXISTS) */
    post: operations['postAdminWarehouses'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/stock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Stock per warehouse and item: on hand, reserved, available, safety stock, low (lowOnly: only the low ones) */
    get: operations['getAdminStock'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/stock/movements': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The stock ledger, newest first */
    get: operations['getAdminStockMovements'];
    put?: never;
    /** Stock in (in) or correct after a count (adjust, signed): never below what is reserved (409 INSUFFICIENT_STOCK) */
    post: operations['postAdminStockMovements'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/parts-requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Parts requests, newest first (filter by status, warehouse, order) */
    get: operations['getAdminPartsRequests'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/parts-requests/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve: reserve every line, all or nothing (409 INSUFFICIENT_STOCK when any is short) */
    post: operations['postAdminPartsRequestsByIdApprove'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/parts-requests/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a pending request with a reason */
    post: operations['postAdminPartsRequestsByIdReject'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/parts-requests/{id}/issue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Issue the approved parts to the electrician (the reservation leaves stock) */
    post: operations['postAdminPartsRequestsByIdIssue'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{id}/invoice': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask for an invoice of my paid order (发票): personal or company title, a company with its 统一社会信用代码; amount = paid − refunds (404 not mine; 409 INVALID_TRANSITION unpaid, NOTHING_TO_INVOICE all refunded, INVOICE_EXISTS a request open or an invoice issued) */
    post: operations['postOrdersByIdInvoice'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/invoices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My invoices and requests, newest first */
    get: operations['getInvoices'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/invoices/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of my invoices; an issued one has its invoice number and a signed, expiring fileUrl */
    get: operations['getInvoicesById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/invoices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Invoice requests and invoices, newest first (filter by status, order) */
    get: operations['getAdminInvoices'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/invoices/{id}/issue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Issue a requested invoice: its number and file (my upload of purpose invoice, PDF or image); the amount is taken again from the payment (409 INVALID_TRANSITION, INVOICE_NO_EXISTS, NOTHING_TO_INVOICE; 400 INVALID_UPLOAD) */
    post: operations['postAdminInvoicesByIdIssue'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/invoices/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a requested invoice with a reason; the customer may ask again (409 INVALID_TRANSITION) */
    post: operations['postAdminInvoicesByIdReject'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/faq': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The knowledge base: active articles of a category, or those answering a keyword (best first, paraphrases too) */
    get: operations['getFaq'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/faq/{id}/feedback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 有帮助/没帮助 on an article: one vote per user, a second call changes it */
    post: operations['postFaqByIdFeedback'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/chat/customer-service/ask': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask the bot in my customer-service conversation: my question and its reply (senderRole bot, meta.faqIds) are stored and delivered as chat messages; up to 3 answers with scores; suggestHuman when none answers well or I ask for a person */
    post: operations['postChatCustomerServiceAsk'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/chat/customer-service/escalate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 转人工: my customer-service conversation waits for an agent (status waiting_agent) and agents with chat.service are notified; again while waiting or with an agent changes nothing */
    post: operations['postChatCustomerServiceEscalate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/chat/customer-service/complaint': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Turn my customer-service conversation into a complaint about one of my orders (the complaints rules: my completed order within the warranty, one open at a time — 404, 409 INVALID_TRANSITION, WARRANTY_EXPIRED, COMPLAINT_OPEN); a system line links it */
    post: operations['postChatCustomerServiceComplaint'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/faq': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every article (active or not) with its helpful / unhelpful votes; keyword matches question, answer or keywords literally */
    get: operations['getAdminFaq'];
    put?: never;
    /** Add an article; the bot answers with it at once (on every instance) */
    post: operations['postAdminFaq'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/faq/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Delete an article and its votes */
    delete: operations['deleteAdminFaqById'];
    options?: never;
    head?: never;
    /** Change an article (active: false retires it from the bot and the customers’ list) */
    patch: operations['patchAdminFaqById'];
    trace?: never;
  };
  '/api/admin/faq/unanswered': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Questions no article answered, one row per normalised text with its count, most asked first */
    get: operations['getAdminFaqUnanswered'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/faq/unanswered/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Dismiss a collected question (answered by a new article, or not worth one) */
    delete: operations['deleteAdminFaqUnansweredById'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/electricians/me/wallet': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My wallet (fen): available, withdrawable (less what open complaints hold back), pending settlement, withdrawing, withdrawn, and the last ledger rows */
    get: operations['getElectriciansMeWallet'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/electricians/me/withdrawals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** My withdrawals, newest first */
    get: operations['getElectriciansMeWithdrawals'];
    put?: never;
    /** Withdraw to WeChat change (Idempotency-Key header): reviewing at or above WITHDRAW_REVIEW_FEN, else wait_user_confirm with packageInfo for wx.requestMerchantTransfer — or approved while WeChat Pay cannot be reached (the bill follows; GET /api/withdrawals/:withdrawalNo) (400 WITHDRAW_BELOW_MIN; 409 INSUFFICIENT_BALANCE, WITHDRAW_LIMIT, IDEMPOTENCY_KEY_REUSED) */
    post: operations['postElectriciansMeWithdrawals'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/withdrawals/{withdrawalNo}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A withdrawal (its electrician, or staff with finance.payouts); asks WeChat Pay while its bill is pending */
    get: operations['getWithdrawalsByWithdrawalNo'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/payments/transfer-notify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** WeChat Pay merchant-transfer notify (MCHTRANSFER.BILL.FINISHED): 204 when handled, 401 INVALID_SIGNATURE when unverifiable */
    post: operations['postPaymentsTransferNotify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/withdrawals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Withdrawals (filter by status, electrician), newest first, with the electrician's name */
    get: operations['getAdminWithdrawals'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/withdrawals/{withdrawalNo}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a withdrawal in review: its transfer bill is created (→ wait_user_confirm; 409 INVALID_TRANSITION) */
    post: operations['postAdminWithdrawalsByWithdrawalNoApprove'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/withdrawals/{withdrawalNo}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reject a withdrawal in review: cancelled with the reason, the money back in available (409 INVALID_TRANSITION) */
    post: operations['postAdminWithdrawalsByWithdrawalNoReject'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/dev/withdrawals/{withdrawalNo}/confirm': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Dev pay mode: confirm my withdrawal (or fail it): a signed, encrypted transfer notify through the real handler */
    post: operations['postDevWithdrawalsByWithdrawalNoConfirm'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AdminLoginResult: {
      token: string;
      refreshToken: string;
      expiresIn: number;
      /** @enum {string} */
      userType: 'admin';
      /** @enum {boolean} */
      isNewUser: false;
      user: components['schemas']['User'];
      staff: components['schemas']['Staff'];
      permissions: (
        | 'orders.read'
        | 'orders.assign'
        | 'orders.cancel'
        | 'electricians.read'
        | 'electricians.verify'
        | 'complaints.read'
        | 'complaints.handle'
        | 'reviews.moderate'
        | 'refunds.create'
        | 'finance.read'
        | 'chat.service'
        | 'users.read'
        | 'users.manage'
        | 'staff.manage'
        | 'audit.read'
        | 'stats.read'
        | 'inventory.read'
        | 'inventory.manage'
        | 'catalog.manage'
        | 'finance.invoices'
        | 'faq.manage'
        | 'finance.payouts'
      )[];
    };
    User: {
      id: number;
      nickname: string | null;
      /** @description An http(s) URL, or for an uploaded avatar a signed, expiring URL (relative ones are under the API base) */
      avatarUrl: string | null;
      /** @enum {string} */
      gender: 'male' | 'female' | 'unknown';
      name: string | null;
      /** @description Masked, e.g. 138****1234 */
      phone: string | null;
      hasPhone: boolean;
      /** @enum {string} */
      userType: 'user' | 'electrician' | 'admin';
      /** @enum {string|null} */
      staffRole: 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory' | null;
      /** @enum {string} */
      status: 'active' | 'inactive' | 'banned' | 'deleted';
      address: string | null;
      city: string | null;
      province: string | null;
      lastLoginAt: string | null;
      createdAt: string;
    };
    Staff: {
      id: number;
      username: string | null;
      name: string | null;
      /** @enum {string|null} */
      staffRole: 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory' | null;
      /** @enum {string} */
      status: 'active' | 'inactive' | 'banned' | 'deleted';
      lockedUntil: string | null;
      lastLoginAt: string | null;
      createdAt: string;
      wechat: boolean;
    };
    Error: {
      /** @enum {boolean} */
      success: false;
      error: {
        code: string;
        message: string;
        details?: unknown[];
        requestId?: string;
      };
    };
    Pagination: {
      page: number;
      limit: number;
      total: number;
    };
    AuditLog: {
      id: number;
      actorId: number | null;
      actorName: string | null;
      /** @enum {string|null} */
      actorRole: 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory' | null;
      action: string;
      method: string | null;
      route: string | null;
      targetType: string | null;
      targetId: string | null;
      details: {
        [key: string]: unknown;
      } | null;
      requestId: string | null;
      ip: string | null;
      /** @enum {string} */
      outcome: 'pending' | 'succeeded' | 'failed';
      statusCode: number | null;
      errorCode: string | null;
      createdAt: string;
      finishedAt: string | null;
    };
    AdminPayment: {
      id: number;
      paymentNo: string;
      orderId: number;
      orderNo: string;
      electricianId: number | null;
      amount: number;
      platformFee: number;
      electricianAmount: number;
      status: string;
      refundAmount: number;
      transactionId: string | null;
      paidAt: string | null;
      settlementStatus: string;
      settleAfter: string | null;
      settledAt: string | null;
      createdAt: string;
    };
    AdminRefund: {
      id: number;
      outRefundNo: string;
      paymentId: number;
      paymentNo: string;
      orderId: number;
      orderNo: string;
      amount: number;
      electricianAmount: number;
      reason: string | null;
      status: string;
      createdAt: string;
      updatedAt: string;
    };
    Settlements: {
      pending: {
        count: number;
        electricianAmount: number;
      };
      settled: {
        count: number;
        electricianAmount: number;
      };
      dueNow: number;
    };
    LoginResult: {
      token: string;
      refreshToken: string;
      expiresIn: number;
      /** @enum {string} */
      userType: 'user' | 'electrician' | 'admin';
      isNewUser: boolean;
      user: components['schemas']['User'];
    };
    TokenPair: {
      token: string;
      refreshToken: string;
      expiresIn: number;
    };
    AdminUser: {
      id: number;
      nickname: string | null;
      /** @description An http(s) URL, or for an uploaded avatar a signed, expiring URL (relative ones are under the API base) */
      avatarUrl: string | null;
      /** @enum {string} */
      gender: 'male' | 'female' | 'unknown';
      name: string | null;
      phone: string | null;
      hasPhone: boolean;
      /** @enum {string} */
      userType: 'user' | 'electrician' | 'admin';
      /** @enum {string|null} */
      staffRole: 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory' | null;
      /** @enum {string} */
      status: 'active' | 'inactive' | 'banned' | 'deleted';
      address: string | null;
      city: string | null;
      province: string | null;
      lastLoginAt: string | null;
      createdAt: string;
      openid: string;
    };
    Address: {
      id: number;
      contactName: string;
      contactPhone: string;
      region: string;
      address: string;
      latitude: number;
      longitude: number;
      tag: string | null;
      isDefault: boolean;
      createdAt: string;
      updatedAt: string;
    };
    Electrician: {
      id: number;
      userId: number;
      realName: string;
      /** @description Masked: only the last 4 characters are shown */
      idCard: string;
      certificateNumber: string;
      /** @enum {string} */
      certificateType: 'low_voltage' | 'high_voltage' | 'special';
      certificateImages: components['schemas']['FileRef'][];
      experienceYears: number;
      specialties: string[];
      serviceAreas: string[];
      introduction: string | null;
      workImages: components['schemas']['FileRef'][];
      /** @enum {string} */
      workStatus: 'available' | 'busy' | 'offline';
      /** @enum {string} */
      verificationStatus: 'pending' | 'approved' | 'rejected';
      verificationNote: string | null;
      verifiedAt: string | null;
      emergencyAvailable: boolean;
      /** @description Fen */
      minOrderAmount: number;
      latitude: number | null;
      longitude: number | null;
      locationUpdatedAt: string | null;
      rating: number;
      ratingCount: number;
      activeOrders: number;
      completedOrders: number;
      totalOrders: number;
      releasedOrders: number;
      /** @description Fen */
      totalEarnings: number;
      createdAt: string;
      updatedAt: string;
    };
    FileRef: {
      id: number;
      /** @description Signed, expiring */
      url: string;
      mime: string;
      width: number | null;
      height: number | null;
    };
    PublicElectrician: {
      id: number;
      /** @description Masked real name, e.g. 王** */
      name: string | null;
      avatarUrl: string | null;
      rating: number;
      ratingCount: number;
      completedOrders: number;
      experienceYears: number;
      /** @enum {string} */
      certificateType: 'low_voltage' | 'high_voltage' | 'special';
      specialties: string[];
      serviceAreas: string[];
      introduction: string | null;
      /** @enum {string} */
      workStatus: 'available' | 'busy' | 'offline';
    };
    AdminElectrician: {
      id: number;
      userId: number;
      realName: string;
      /** @description Masked: only the last 4 characters are shown */
      idCard: string;
      certificateNumber: string;
      /** @enum {string} */
      certificateType: 'low_voltage' | 'high_voltage' | 'special';
      certificateImages: components['schemas']['FileRef'][];
      experienceYears: number;
      specialties: string[];
      serviceAreas: string[];
      introduction: string | null;
      workImages: components['schemas']['FileRef'][];
      /** @enum {string} */
      workStatus: 'available' | 'busy' | 'offline';
      /** @enum {string} */
      verificationStatus: 'pending' | 'approved' | 'rejected';
      verificationNote: string | null;
      verifiedAt: string | null;
      emergencyAvailable: boolean;
      /** @description Fen */
      minOrderAmount: number;
      latitude: number | null;
      longitude: number | null;
      locationUpdatedAt: string | null;
      rating: number;
      ratingCount: number;
      activeOrders: number;
      completedOrders: number;
      totalOrders: number;
      releasedOrders: number;
      /** @description Fen */
      totalEarnings: number;
      createdAt: string;
      updatedAt: string;
      user: {
        id: number;
        nickname: string | null;
        name: string | null;
        phone: string | null;
        avatarUrl: string | null;
      };
    };
    OrderPublic: {
      id: number;
      orderNo: string;
      title: string;
      description: string;
      /** @enum {string} */
      faultType: 'circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other';
      /** @enum {string} */
      priority: 'low' | 'medium' | 'high' | 'urgent';
      /** @enum {string} */
      status: 'pending' | 'accepted' | 'arrived' | 'quoted' | 'in_progress' | 'completed' | 'cancelled' | 'expired';
      region: string;
      distanceKm: number | null;
      /** @description Rounded to 0.01° (about 1 km): where on a map, not which house */
      approxLocation: {
        latitude: number;
        longitude: number;
      };
      /** @description Masked, e.g. 张* */
      contactName: string;
      /** @description Masked, e.g. 138****1234 */
      contactPhone: string;
      images: {
        id: number;
        url: string;
      }[];
      visitFee: number;
      estimatedAmount: number;
      scheduledAt: string | null;
      expiresAt: string | null;
      createdAt: string;
    };
    Order: {
      id: number;
      orderNo: string;
      title: string;
      description: string;
      /** @enum {string} */
      faultType: 'circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other';
      /** @enum {string} */
      priority: 'low' | 'medium' | 'high' | 'urgent';
      /** @enum {string} */
      status: 'pending' | 'accepted' | 'arrived' | 'quoted' | 'in_progress' | 'completed' | 'cancelled' | 'expired';
      region: string;
      distanceKm: number | null;
      /** @description Rounded to 0.01° (about 1 km): where on a map, not which house */
      approxLocation: {
        latitude: number;
        longitude: number;
      };
      contactName: string;
      contactPhone: string;
      images: {
        id: number;
        url: string;
      }[];
      visitFee: number;
      estimatedAmount: number;
      scheduledAt: string | null;
      expiresAt: string | null;
      createdAt: string;
      address: string;
      latitude: number;
      longitude: number;
      userId: number;
      electricianId: number | null;
      electrician: {
        id: number;
        name: string;
        phone: string | null;
        avatarUrl: string | null;
        rating: number;
        completedOrders: number;
      } | null;
      quotedAmount: number | null;
      finalAmount: number | null;
      quoteItems:
        | {
            name: string;
            quantity: number;
            unitPrice: number;
            catalogItemId?: number;
            unit?: string;
            /** @description fen; lines quoted from the price list */
            standardPrice?: number;
            /**
             * @description against the price list; absent on quotes made before it
             * @enum {string}
             */
            priceFlag?: 'standard' | 'above_standard' | 'custom';
          }[]
        | null;
      quoteVersion: number;
      /** @description What cancelling now would cost the customer (fen) */
      cancelFee: number;
      /** @description What the customer owes now (fen) */
      amountDue: number;
      repairContent: string | null;
      repairImages: {
        id: number;
        url: string;
      }[];
      /** @enum {string} */
      paymentStatus: 'unpaid' | 'paid' | 'refunded' | 'partial_refund';
      paidAt: string | null;
      cancelReason: string | null;
      cancelledBy: string | null;
      dispatchStatus: string | null;
      acceptedAt: string | null;
      arrivedAt: string | null;
      quotedAt: string | null;
      startedAt: string | null;
      completedAt: string | null;
      cancelledAt: string | null;
      expiredAt: string | null;
      arriveDueAt: string | null;
      version: number;
      updatedAt: string;
    };
    OrderEvent: {
      id: number;
      action: string;
      fromStatus: string | null;
      toStatus: string;
      actorId: number | null;
      actorRole: string;
      details: {
        [key: string]: unknown;
      };
      createdAt: string;
    };
    AssignCandidate: {
      electricianId: number;
      name: string;
      rating: number;
      workStatus: string;
      activeOrders: number;
      completedOrders: number;
      distanceKm: number;
      /** @description At the active-order cap: assigning would be refused */
      full: boolean;
    };
    UploadResult: {
      id: number;
      /** @description Signed and expiring (at least an hour); relative URLs are under the API base */
      url: string;
      sha256: string;
      size: number;
      /** @enum {string} */
      mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
      /** @description null for a PDF */
      width: number | null;
      height: number | null;
      /** @description true when this user had already uploaded these bytes for this purpose */
      deduplicated: boolean;
    };
    Upload: {
      id: number;
      url: string;
      /**
       * @description order 报修照片 | repair 维修照片 | review 评价 | chat 聊天 | certificate 证书/证件 | avatar 头像 | complaint 投诉 | invoice 发票（仅有 finance.invoices 的员工；也接受 PDF）
       * @enum {string}
       */
      purpose: 'order' | 'repair' | 'review' | 'chat' | 'certificate' | 'avatar' | 'complaint' | 'invoice';
      mime: string;
      size: number;
      width: number | null;
      height: number | null;
      createdAt: string;
    };
    Conversation: {
      id: number;
      /** @enum {string} */
      kind: 'order' | 'service';
      orderId: number | null;
      customerId: number;
      createdAt: string;
      lastMessageAt: string | null;
      lastMessage: components['schemas']['ChatMessage'] | null;
      unreadCount: number;
      /** @enum {string|null} */
      status: 'bot' | 'waiting_agent' | 'with_agent' | null;
      assigneeId: number | null;
      assigneeName: string | null;
      escalatedAt: string | null;
      assignedAt: string | null;
    };
    ChatMessage: {
      id: number;
      conversationId: number;
      senderId: number | null;
      /** @enum {string} */
      type: 'text' | 'image' | 'system' | 'order-card';
      content: string;
      image: {
        id: number;
        url: string;
      } | null;
      clientId: string | null;
      createdAt: string;
      /** @enum {string} */
      senderRole?: 'customer' | 'electrician' | 'admin' | 'bot' | 'system';
      meta?: {
        faqIds?: number[];
        suggestHuman?: boolean;
        complaintId?: number;
      } | null;
    };
    Notification: {
      id: number;
      /** @enum {string} */
      type: 'system' | 'order' | 'chat' | 'complaint';
      title: string;
      content: string;
      orderId: number | null;
      conversationId: number | null;
      read: boolean;
      readAt: string | null;
      createdAt: string;
      updatedAt: string;
    };
    Complaint: {
      id: number;
      orderId: number;
      orderNo: string;
      customerId: number;
      electricianId: number | null;
      /** @enum {string} */
      type: 'quality' | 'service' | 'price' | 'other';
      content: string;
      images: {
        id: number;
        url: string;
      }[];
      /** @enum {string} */
      level: 'normal' | 'serious' | 'critical';
      /** @enum {string} */
      status: 'open' | 'processing' | 'resolved' | 'rejected';
      /** @enum {string|null} */
      outcome: 'rework' | 'refund' | 'compensate' | 'reject' | null;
      /** @description fen */
      refundAmount: number | null;
      refundNo: string | null;
      resolutionNote: string | null;
      firstResponseAt: string | null;
      resolvedAt: string | null;
      createdAt: string;
      updatedAt: string;
      /** @description the history, oldest first (detail only) */
      events?: {
        id: number;
        /** @enum {string} */
        action: 'open' | 'message' | 'reply' | 'escalate' | 'resolve';
        /** @enum {string|null} */
        fromStatus: 'open' | 'processing' | 'resolved' | 'rejected' | null;
        /** @enum {string} */
        toStatus: 'open' | 'processing' | 'resolved' | 'rejected';
        /** @enum {string} */
        level: 'normal' | 'serious' | 'critical';
        actorId: number | null;
        /** @enum {string} */
        actorRole: 'customer' | 'admin' | 'system';
        content: string | null;
        images: {
          id: number;
          url: string;
        }[];
        details: {
          [key: string]: unknown;
        };
        createdAt: string;
      }[];
    };
    Review: {
      id: number;
      orderId: number;
      electricianId: number;
      reviewer: {
        userId: number | null;
        nickname: string;
        avatarUrl: string | null;
      };
      isAnonymous: boolean;
      serviceRating: number;
      qualityRating: number;
      speedRating: number;
      overallRating: number;
      content: string | null;
      tags: ('准时上门' | '技术专业' | '态度热情' | '收费合理' | '干净整洁' | '沟通顺畅' | '维修彻底')[];
      images: {
        id: number;
        url: string;
      }[];
      reply: {
        content: string;
        repliedAt: string;
      } | null;
      helpfulCount: number;
      reportCount: number;
      /** @enum {string} */
      status: 'normal' | 'hidden';
      hiddenReason: string | null;
      createdAt: string;
    };
    CatalogItem: {
      id: number;
      code: string;
      name: string;
      /** @enum {string} */
      category: 'labour' | 'material';
      unit: string;
      /** @description fen */
      standardPrice: number;
      /** @description fen: a quote above it is refused */
      maxPrice: number;
      faultTypes: ('circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other')[];
    };
    Warehouse: {
      id: number;
      name: string;
      address: string | null;
      active: boolean;
      createdAt: string;
    };
    PartsRequest: {
      id: number;
      orderId: number;
      orderNo: string;
      electricianId: number;
      warehouseId: number;
      warehouseName: string;
      /** @enum {string} */
      status: 'pending' | 'approved' | 'rejected' | 'issued' | 'settled' | 'cancelled';
      note: string | null;
      /** @description why it was rejected or cancelled */
      reason: string | null;
      items: {
        catalogItemId: number;
        code: string;
        name: string;
        unit: string;
        quantity: number;
        /** @description set when settled; the rest went back to stock */
        used: number | null;
      }[];
      approvedAt: string | null;
      issuedAt: string | null;
      settledAt: string | null;
      /** @description when it was rejected or cancelled */
      closedAt: string | null;
      createdAt: string;
      updatedAt: string;
    };
    AdminCatalogItem: {
      id: number;
      code: string;
      name: string;
      /** @enum {string} */
      category: 'labour' | 'material';
      unit: string;
      /** @description fen */
      standardPrice: number;
      /** @description fen: a quote above it is refused */
      maxPrice: number;
      faultTypes: ('circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other')[];
      active: boolean;
      safetyStock: number;
      createdAt: string;
      updatedAt: string;
    };
    StockBalance: {
      warehouseId: number;
      catalogItemId: number;
      code: string;
      name: string;
      unit: string;
      onHand: number;
      reserved: number;
      /** @description onHand − reserved */
      available: number;
      safetyStock: number;
      /** @description available below the safety stock */
      low: boolean;
    };
    StockMovement: {
      id: number;
      warehouseId: number;
      catalogItemId: number;
      itemName: string;
      /** @enum {string} */
      type: 'in' | 'reserve' | 'release' | 'issue' | 'return' | 'adjust';
      /** @description units; signed for adjust */
      quantity: number;
      actorId: number | null;
      actorRole: string;
      partsRequestId: number | null;
      note: string | null;
      createdAt: string;
    };
    Invoice: {
      id: number;
      orderId: number;
      orderNo: string;
      /** @enum {string} */
      titleType: 'personal' | 'company';
      title: string;
      taxNumber: string | null;
      email: string | null;
      /** @description fen: what was paid less refunds when requested (recomputed when issued) */
      amount: number;
      /** @enum {string} */
      status: 'requested' | 'issued' | 'rejected';
      invoiceNo: string | null;
      /** @description issued: the invoice file, signed and expiring */
      fileUrl: string | null;
      /** @description application/pdf or an image type */
      fileMime: string | null;
      rejectReason: string | null;
      createdAt: string;
      issuedAt: string | null;
      rejectedAt: string | null;
    };
    AdminInvoice: {
      id: number;
      orderId: number;
      orderNo: string;
      /** @enum {string} */
      titleType: 'personal' | 'company';
      title: string;
      taxNumber: string | null;
      email: string | null;
      /** @description fen: what was paid less refunds when requested (recomputed when issued) */
      amount: number;
      /** @enum {string} */
      status: 'requested' | 'issued' | 'rejected';
      invoiceNo: string | null;
      /** @description issued: the invoice file, signed and expiring */
      fileUrl: string | null;
      /** @description application/pdf or an image type */
      fileMime: string | null;
      rejectReason: string | null;
      createdAt: string;
      issuedAt: string | null;
      rejectedAt: string | null;
      /** @description the customer */
      userId: number;
      fileUploadId: number | null;
      /** @description the staff member who issued or rejected it */
      decidedBy: number | null;
      updatedAt: string;
    };
    FaqArticle: {
      id: number;
      /** @enum {string} */
      category: 'order' | 'fee' | 'payment' | 'invoice' | 'after_sales' | 'account' | 'electrician' | 'other';
      question: string;
      answer: string;
    };
    AdminFaqArticle: {
      id: number;
      /** @enum {string} */
      category: 'order' | 'fee' | 'payment' | 'invoice' | 'after_sales' | 'account' | 'electrician' | 'other';
      question: string;
      answer: string;
      keywords: string[];
      active: boolean;
      helpfulCount: number;
      unhelpfulCount: number;
      createdAt: string;
      updatedAt: string;
    };
    FaqUnanswered: {
      id: number;
      question: string;
      count: number;
      firstAskedAt: string;
      lastAskedAt: string;
    };
    Wallet: {
      /** @description fen: settled and not withdrawn */
      available: number;
      /** @description fen: available minus earnings of orders with an open complaint */
      withdrawable: number;
      heldByComplaints: number;
      pendingSettlement: number;
      withdrawing: number;
      withdrawn: number;
      rules: {
        minFen: number;
        dailyMaxFen: number;
        reviewFen: number;
        /** @description hours the electrician has to confirm a transfer before it is cancelled */
        confirmHours: number;
        /** @description fen the daily cap still allows today (Beijing day) */
        todayLeftFen: number;
      };
      ledger: components['schemas']['WalletLedgerRow'][];
    };
    WalletLedgerRow: {
      id: number;
      /** @enum {string} */
      type: 'settlement_credit' | 'withdraw_hold' | 'withdraw_release' | 'withdraw_complete';
      /** @description fen, signed: what the row did to the money held on the platform */
      amount: number;
      withdrawalNo?: string;
      orderId?: number;
      createdAt: string;
    };
    Withdrawal: {
      withdrawalNo: string;
      amount: number;
      /** @enum {string} */
      status: 'reviewing' | 'approved' | 'wait_user_confirm' | 'succeeded' | 'failed' | 'cancelled';
      reason?: string;
      /** @description for wx.requestMerchantTransfer while wait_user_confirm */
      packageInfo?: string;
      mchId?: string;
      appId?: string;
      createdAt: string;
      updatedAt: string;
    };
    AdminWithdrawalRow: {
      withdrawalNo: string;
      amount: number;
      /** @enum {string} */
      status: 'reviewing' | 'approved' | 'wait_user_confirm' | 'succeeded' | 'failed' | 'cancelled';
      reason?: string;
      /** @description for wx.requestMerchantTransfer while wait_user_confirm */
      packageInfo?: string;
      mchId?: string;
      appId?: string;
      createdAt: string;
      updatedAt: string;
      electricianId: number;
      electricianName: string;
      transferBillNo: string | null;
      billState: string | null;
      reviewedBy: number | null;
      reviewedAt: string | null;
    };
    AdminWithdrawal: {
      withdrawalNo: string;
      amount: number;
      /** @enum {string} */
      status: 'reviewing' | 'approved' | 'wait_user_confirm' | 'succeeded' | 'failed' | 'cancelled';
      reason?: string;
      /** @description for wx.requestMerchantTransfer while wait_user_confirm */
      packageInfo?: string;
      mchId?: string;
      appId?: string;
      createdAt: string;
      updatedAt: string;
      electricianId: number;
      transferBillNo: string | null;
      billState: string | null;
      reviewedBy: number | null;
      reviewedAt: string | null;
    };
  };
  responses: {
    /** @description VALIDATION_FAILED: the path, query or body does not match its schema; `details` lists each problem */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description UNAUTHORIZED: no bearer token, or one that is invalid, expired or revoked */
    Unauthorized: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description FORBIDDEN: the account is banned, or its type or staff permission does not allow this route */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description NOT_FOUND: nothing the caller may see has this id */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description RATE_LIMITED: too many requests in the window; Retry-After tells when to try again */
    TooManyRequests: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type AdminLoginResult = components['schemas']['AdminLoginResult'];
export type User = components['schemas']['User'];
export type Staff = components['schemas']['Staff'];
export type Error = components['schemas']['Error'];
export type Pagination = components['schemas']['Pagination'];
export type AuditLog = components['schemas']['AuditLog'];
export type AdminPayment = components['schemas']['AdminPayment'];
export type AdminRefund = components['schemas']['AdminRefund'];
export type Settlements = components['schemas']['Settlements'];
export type LoginResult = components['schemas']['LoginResult'];
export type TokenPair = components['schemas']['TokenPair'];
export type AdminUser = components['schemas']['AdminUser'];
export type Address = components['schemas']['Address'];
export type Electrician = components['schemas']['Electrician'];
export type FileRef = components['schemas']['FileRef'];
export type PublicElectrician = components['schemas']['PublicElectrician'];
export type AdminElectrician = components['schemas']['AdminElectrician'];
export type OrderPublic = components['schemas']['OrderPublic'];
export type Order = components['schemas']['Order'];
export type OrderEvent = components['schemas']['OrderEvent'];
export type AssignCandidate = components['schemas']['AssignCandidate'];
export type UploadResult = components['schemas']['UploadResult'];
export type Upload = components['schemas']['Upload'];
export type Conversation = components['schemas']['Conversation'];
export type ChatMessage = components['schemas']['ChatMessage'];
export type Notification = components['schemas']['Notification'];
export type Complaint = components['schemas']['Complaint'];
export type Review = components['schemas']['Review'];
export type CatalogItem = components['schemas']['CatalogItem'];
export type Warehouse = components['schemas']['Warehouse'];
export type PartsRequest = components['schemas']['PartsRequest'];
export type AdminCatalogItem = components['schemas']['AdminCatalogItem'];
export type StockBalance = components['schemas']['StockBalance'];
export type StockMovement = components['schemas']['StockMovement'];
export type Invoice = components['schemas']['Invoice'];
export type AdminInvoice = components['schemas']['AdminInvoice'];
export type FaqArticle = components['schemas']['FaqArticle'];
export type AdminFaqArticle = components['schemas']['AdminFaqArticle'];
export type FaqUnanswered = components['schemas']['FaqUnanswered'];
export type Wallet = components['schemas']['Wallet'];
export type WalletLedgerRow = components['schemas']['WalletLedgerRow'];
export type Withdrawal = components['schemas']['Withdrawal'];
export type AdminWithdrawalRow = components['schemas']['AdminWithdrawalRow'];
export type AdminWithdrawal = components['schemas']['AdminWithdrawal'];
export type ResponseBadRequest = components['responses']['BadRequest'];
export type ResponseUnauthorized = components['responses']['Unauthorized'];
export type ResponseForbidden = components['responses']['Forbidden'];
export type ResponseNotFound = components['responses']['NotFound'];
export type ResponseTooManyRequests = components['responses']['TooManyRequests'];
export type $defs = Record<string, never>;
export interface operations {
  postAdminAuthLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          username: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminLoginResult'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      429: components['responses']['TooManyRequests'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminStaff: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        keyword?: string;
        staffRole?: 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Staff'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminStaff: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          username: string;
          password: string;
          /** @enum {string} */
          staffRole: 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory';
          name?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Staff'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchAdminStaffById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          staffRole?: 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory';
          /** @enum {string} */
          status?: 'active' | 'banned';
          password?: string;
          name?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Staff'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminAuditLogs: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        actorId?: number;
        action?: string;
        targetType?: string;
        targetId?: string;
        outcome?: 'pending' | 'succeeded' | 'failed';
        from?: string | null;
        to?: string | null;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AuditLog'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminPayments: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'pending' | 'paid' | 'closed' | 'failed' | 'refunded' | 'partial_refund';
        settlementStatus?: 'pending' | 'settled';
        orderId?: number;
        keyword?: string;
        from?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminPayment'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminRefunds: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'processing' | 'success' | 'abnormal' | 'closed';
        orderId?: number;
        keyword?: string;
        from?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminRefund'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminFinanceSettlements: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Settlements'];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminFinanceReconciliation: {
    parameters: {
      query: {
        from: string;
        to: string;
        format?: 'json' | 'csv';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data?: unknown;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminOrdersByIdPayments: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              payments: components['schemas']['AdminPayment'][];
              refunds: components['schemas']['AdminRefund'][];
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthWechatLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          code: string;
          userInfo?: {
            nickName?: string;
            /** Format: uri */
            avatarUrl?: string;
            gender?: 0 | 1 | 2;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['LoginResult'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      429: components['responses']['TooManyRequests'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthRefresh: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          refreshToken: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['TokenPair'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      429: components['responses']['TooManyRequests'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthLogout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          refreshToken: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data?: unknown;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthSmsCode: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          phoneNumber: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data?: unknown;
          };
        };
      };
      400: components['responses']['BadRequest'];
      429: components['responses']['TooManyRequests'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAuthBindPhone: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json':
          | {
              code: string;
            }
          | {
              phoneNumber: string;
              verifyCode: string;
            };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              phone: string;
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getUsersMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['User'];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putUsersMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          nickname?: string;
          /** Format: uri */
          avatarUrl?: string;
          /** @description One of my own uploads with purpose `avatar` (POST /api/uploads); not together with avatarUrl */
          avatarUploadId?: number;
          /** @enum {string} */
          gender?: 'male' | 'female' | 'unknown';
          name?: string;
          address?: string;
          city?: string;
          province?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['User'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchUsersMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          nickname?: string;
          /** Format: uri */
          avatarUrl?: string;
          /** @description One of my own uploads with purpose `avatar` (POST /api/uploads); not together with avatarUrl */
          avatarUploadId?: number;
          /** @enum {string} */
          gender?: 'male' | 'female' | 'unknown';
          name?: string;
          address?: string;
          city?: string;
          province?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['User'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postUsersMeDeleteAccount: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @description Why (optional, kept with the deletion record) */
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: Record<string, never>;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminUsers: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        keyword?: string;
        userType?: 'user' | 'electrician' | 'admin';
        status?: 'active' | 'inactive' | 'banned' | 'deleted';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminUser'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminUsersByIdStatus: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          status: 'active' | 'banned';
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminUser'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAddresses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Address'][];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAddresses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          contactName: string;
          contactPhone: string;
          address: string;
          region: string;
          latitude: number;
          longitude: number;
          /** @description A short label such as 家、公司 */
          tag?: string;
          /** @description Make it the default (the first entry is the default anyway) */
          isDefault?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Address'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putAddressesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          contactName?: string;
          contactPhone?: string;
          address?: string;
          region?: string;
          latitude?: number;
          longitude?: number;
          /** @description A short label such as 家、公司 */
          tag?: string | null;
          isDefault?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Address'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteAddressesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: Record<string, never>;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchAddressesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          contactName?: string;
          contactPhone?: string;
          address?: string;
          region?: string;
          latitude?: number;
          longitude?: number;
          /** @description A short label such as 家、公司 */
          tag?: string | null;
          isDefault?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Address'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postElectriciansApply: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          realName: string;
          idCard: string;
          certificateNumber: string;
          /** @enum {string} */
          certificateType: 'low_voltage' | 'high_voltage' | 'special';
          /** @description Upload ids of purpose `certificate`, 1–6 */
          certificateImages: number[];
          experienceYears: number;
          specialties: string[];
          serviceAreas: string[];
          introduction?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Electrician'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getElectriciansMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Electrician'];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putElectriciansMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          workStatus?: 'available' | 'busy' | 'offline';
          emergencyAvailable?: boolean;
          /** @description Fen */
          minOrderAmount?: number;
          serviceAreas?: string[];
          specialties?: string[];
          introduction?: string | null;
          latitude?: number;
          longitude?: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Electrician'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchElectriciansMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          workStatus?: 'available' | 'busy' | 'offline';
          emergencyAvailable?: boolean;
          /** @description Fen */
          minOrderAmount?: number;
          serviceAreas?: string[];
          specialties?: string[];
          introduction?: string | null;
          latitude?: number;
          longitude?: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Electrician'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getElectriciansById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PublicElectrician'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminElectricians: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        verificationStatus?: 'pending' | 'approved' | 'rejected';
        keyword?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminElectrician'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminElectriciansByIdVerify: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          approved: boolean;
          note?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminElectrician'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOrdersPricing: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              faultType: string;
              name: string;
              visitFee: number;
              estimatedAmount: number;
              urgentSurcharge: number;
            }[];
          };
        };
      };
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOrdersHall: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        latitude?: number | null;
        longitude?: number | null;
        radiusKm?: number;
        faultType?: 'circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other';
        priority?: 'low' | 'medium' | 'high' | 'urgent';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['OrderPublic'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOrders: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'pending' | 'accepted' | 'arrived' | 'quoted' | 'in_progress' | 'completed' | 'cancelled' | 'expired';
        as?: 'customer' | 'electrician';
        owed?: 'true' | 'false';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrders: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @description One of my address-book entries (GET /api/addresses), instead of contactName … longitude */
          addressId?: number;
          contactName?: string;
          contactPhone?: string;
          address?: string;
          region?: string;
          latitude?: number;
          longitude?: number;
          description: string;
          /** @enum {string} */
          urgentType: 'urgent' | 'normal';
          /** @enum {string} */
          faultType: 'circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other';
          title?: string;
          images?: number[];
          /** Format: date-time */
          scheduledAt?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      429: components['responses']['TooManyRequests'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOrdersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'] | components['schemas']['OrderPublic'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOrdersByIdEvents: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['OrderEvent'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdGrab: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdDispatchAccept: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdDispatchReject: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: Record<string, never>;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdArrive: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          latitude: number;
          longitude: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdRelease: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdQuote: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @default [] */
          items?: {
            /** @description a price-list item: its name and unit are used */
            catalogItemId?: number;
            /** @description required for a free-text line (priceFlag custom) */
            name?: string;
            quantity: number;
            unitPrice: number;
          }[];
          labourFee: number;
          note?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdQuoteAccept: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdQuoteReject: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdComplete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          repairContent: string;
          repairImages: number[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdCancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminOrders: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'pending' | 'accepted' | 'arrived' | 'quoted' | 'in_progress' | 'completed' | 'cancelled' | 'expired';
        electricianId?: number;
        from?: string;
        to?: string;
        keyword?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminOrdersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data?: unknown;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminOrdersByIdCandidates: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AssignCandidate'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminOrdersByIdAssign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          electricianId: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminOrdersByIdUnassign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminOrdersByIdCancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Order'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminStats: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data?: unknown;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postUploads: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description JPEG, PNG or WebP (purpose invoice: or PDF), at most MAX_UPLOAD_MB; the type is read from the content
           */
          file: string;
          /**
           * @description order 报修照片 | repair 维修照片 | review 评价 | chat 聊天 | certificate 证书/证件 | avatar 头像 | complaint 投诉 | invoice 发票（仅有 finance.invoices 的员工；也接受 PDF）
           * @enum {string}
           */
          purpose: 'order' | 'repair' | 'review' | 'chat' | 'certificate' | 'avatar' | 'complaint' | 'invoice';
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['UploadResult'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      429: components['responses']['TooManyRequests'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getUploadsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Upload'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getFilesById: {
    parameters: {
      query?: {
        /** @description Expiry, unix seconds */
        exp?: string;
        /** @description base64url HMAC-SHA256 of "<id>.<exp>" */
        sig?: string;
      };
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data?: unknown;
          };
        };
      };
      400: components['responses']['BadRequest'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getChatConversations: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'bot' | 'waiting_agent' | 'with_agent';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Conversation'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postChatCustomerService: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Conversation'];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getChatConversationsByIdMessages: {
    parameters: {
      query?: {
        before?: number;
        limit?: number;
      };
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['ChatMessage'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postChatConversationsByIdMessages: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          type: 'text' | 'image';
          content: string;
          clientId?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['ChatMessage'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postChatConversationsByIdRead: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          upToMessageId: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              conversationId: number;
              userId: number;
              upToMessageId: number;
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminChatConversationsByIdClaim: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Conversation'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminChatConversationsByIdRelease: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Conversation'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMessages: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        type?: 'system' | 'order' | 'chat' | 'complaint';
        readStatus?: 'read' | 'unread';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Notification'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMessagesUnreadCount: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              total: number;
              byType: {
                system: number;
                order: number;
                chat: number;
                complaint: number;
              };
            };
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postMessagesReadAll: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              updated: number;
            };
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postMessagesByIdRead: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Notification'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getMessagesSubscriptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              templates: {
                [key: string]: string;
              };
              grants: {
                [key: string]: number;
              };
            };
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postMessagesSubscriptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          templateIds: string[];
          accepted: string[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              templates: {
                [key: string]: string;
              };
              grants: {
                [key: string]: number;
              };
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdComplaints: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          type: 'quality' | 'service' | 'price' | 'other';
          content: string;
          images?: number[];
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getComplaints: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'open' | 'processing' | 'resolved' | 'rejected';
        as?: 'customer' | 'electrician';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getComplaintsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postComplaintsByIdMessages: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          content: string;
          images?: number[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminComplaints: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'open' | 'processing' | 'resolved' | 'rejected';
        level?: 'normal' | 'serious' | 'critical';
        type?: 'quality' | 'service' | 'price' | 'other';
        keyword?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminComplaintsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminComplaintsByIdReply: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          content: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminComplaintsByIdEscalate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminComplaintsByIdResolve: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          outcome: 'rework' | 'refund' | 'compensate' | 'reject';
          refundAmount?: number;
          note: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Complaint'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getReviewsTags: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: ('准时上门' | '技术专业' | '态度热情' | '收费合理' | '干净整洁' | '沟通顺畅' | '维修彻底')[];
          };
        };
      };
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOrdersByIdReview: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Review'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdReview: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          serviceRating: number;
          qualityRating: number;
          speedRating: number;
          content?: string;
          /** @default [] */
          tags?: ('准时上门' | '技术专业' | '态度热情' | '收费合理' | '干净整洁' | '沟通顺畅' | '维修彻底')[];
          /** @default [] */
          images?: number[];
          /** @default false */
          isAnonymous?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Review'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getElectriciansByIdReviews: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
      };
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Review'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postReviewsByIdReply: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          content: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Review'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postReviewsByIdHelpful: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              reviewId: number;
              /** @enum {string} */
              kind: 'helpful' | 'report';
              created: boolean;
              helpfulCount: number;
              reportCount: number;
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postReviewsByIdReport: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              reviewId: number;
              /** @enum {string} */
              kind: 'helpful' | 'report';
              created: boolean;
              helpfulCount: number;
              reportCount: number;
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminReviews: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'normal' | 'hidden';
        electricianId?: number;
        reportedOnly?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Review'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminReviewsByIdHide: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Review'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminReviewsByIdUnhide: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Review'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postPayments: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          orderId: number;
          amount?: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              paymentNo: string;
              amount: number;
              paymentParams: {
                timeStamp: string;
                nonceStr: string;
                package: string;
                /** @enum {string} */
                signType: 'RSA';
                paySign: string;
              };
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postPaymentsNotify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postPaymentsRefundNotify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getPaymentsByPaymentNo: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        paymentNo: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              paymentNo: string;
              orderId: number;
              amount: number;
              /** @enum {string} */
              status: 'pending' | 'paid' | 'closed' | 'failed' | 'refunded' | 'partial_refund';
              transactionId: string | null;
              expireTime: string;
              paidAt: string | null;
              createdAt: string;
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getElectriciansMeEarnings: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              /** @description The workspace header's figures for today */
              today: {
                /** @description The calendar day in China Standard Time (YYYY-MM-DD) */
                date: string;
                /** @description Fen: the shares of today's payments, net of refunds */
                income: number;
                /** @description Orders grabbed or accepted today that are still mine */
                accepted: number;
              };
              /** @description Fen: the running total credited to the electrician */
              totalEarnings: number;
              pendingSettlement: number;
              settled: number;
              items: {
                paymentNo: string;
                orderId: number;
                orderNo: string;
                amount: number;
                platformFee: number;
                /** @description Fen, net of what refunds took back */
                electricianAmount: number;
                refundedFromShare: number;
                status: string;
                /** @enum {string} */
                settlementStatus: 'pending' | 'settled';
                paidAt: string | null;
                settleAfter: string | null;
                settledAt: string | null;
              }[];
              page: number;
              limit: number;
              total: number;
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminOrdersByIdRefund: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          amount: number;
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              refundNo: string;
              orderId: number;
              paymentNo: string;
              amount: number;
              /** @enum {string} */
              status: 'processing' | 'success' | 'abnormal' | 'closed';
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postDevPaymentsByPaymentNoSucceed: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        paymentNo: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              paymentNo: string;
              orderId: number;
              amount: number;
              /** @enum {string} */
              status: 'pending' | 'paid' | 'closed' | 'failed' | 'refunded' | 'partial_refund';
              transactionId: string | null;
              expireTime: string;
              paidAt: string | null;
              createdAt: string;
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getCatalogItems: {
    parameters: {
      query?: {
        faultType?: 'circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other';
        category?: 'labour' | 'material';
        keyword?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['CatalogItem'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getWarehouses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Warehouse'][];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getOrdersByIdPartsRequests: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PartsRequest'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdPartsRequests: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          warehouseId: number;
          items: {
            catalogItemId: number;
            quantity: number;
          }[];
          note?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PartsRequest'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postPartsRequestsByIdCancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PartsRequest'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postPartsRequestsByIdSettle: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          items: {
            catalogItemId: number;
            used: number;
          }[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PartsRequest'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminCatalogItems: {
    parameters: {
      query?: {
        faultType?: 'circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other';
        category?: 'labour' | 'material';
        keyword?: string;
        active?: '0' | '1' | 'true' | 'false';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminCatalogItem'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminCatalogItems: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          code: string;
          name: string;
          /** @enum {string} */
          category: 'labour' | 'material';
          unit: string;
          standardPrice: number;
          maxPrice: number;
          /** @default [] */
          faultTypes?: ('circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other')[];
          /** @default true */
          active?: boolean;
          /** @default 0 */
          safetyStock?: number;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminCatalogItem'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchAdminCatalogItemsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          code?: string;
          name?: string;
          /** @enum {string} */
          category?: 'labour' | 'material';
          unit?: string;
          standardPrice?: number;
          maxPrice?: number;
          faultTypes?: ('circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other')[];
          active?: boolean;
          safetyStock?: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminCatalogItem'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminWarehouses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Warehouse'][];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminWarehouses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          name: string;
          address?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Warehouse'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminStock: {
    parameters: {
      query?: {
        warehouseId?: number;
        lowOnly?: '0' | '1' | 'true' | 'false';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['StockBalance'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminStockMovements: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        warehouseId?: number;
        catalogItemId?: number;
        type?: 'in' | 'reserve' | 'release' | 'issue' | 'return' | 'adjust';
        partsRequestId?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['StockMovement'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminStockMovements: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          warehouseId: number;
          catalogItemId: number;
          /** @enum {string} */
          type: 'in' | 'adjust';
          quantity: number;
          note: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['StockMovement'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminPartsRequests: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'pending' | 'approved' | 'rejected' | 'issued' | 'settled' | 'cancelled';
        warehouseId?: number;
        orderId?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PartsRequest'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminPartsRequestsByIdApprove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PartsRequest'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminPartsRequestsByIdReject: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PartsRequest'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminPartsRequestsByIdIssue: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['PartsRequest'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postOrdersByIdInvoice: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /**
           * @description personal 个人 | company 单位
           * @enum {string}
           */
          titleType: 'personal' | 'company';
          /** @description 发票抬头：个人姓名或单位全称，至多 100 字 */
          title: string;
          /** @description 单位税号：18 位统一社会信用代码（GB 32100-2015，含校验位）；个人抬头不填 */
          taxNumber?: string;
          /** @description 接收电子发票的邮箱（仅保存，不在此发送邮件） */
          email?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Invoice'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getInvoices: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Invoice'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getInvoicesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Invoice'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminInvoices: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'requested' | 'issued' | 'rejected';
        orderId?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminInvoice'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminInvoicesByIdIssue: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @description 发票号码（数电发票 20 位，纸质/电子普票 8 位等） */
          invoiceNo: string;
          /** @description The invoice file: my own upload of purpose invoice (PDF or image) */
          fileUploadId: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminInvoice'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminInvoicesByIdReject: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminInvoice'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getFaq: {
    parameters: {
      query?: {
        keyword?: string;
        category?: 'order' | 'fee' | 'payment' | 'invoice' | 'after_sales' | 'account' | 'electrician' | 'other';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['FaqArticle'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postFaqByIdFeedback: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          helpful: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              faqId: number;
              helpful: boolean;
              helpfulCount: number;
              unhelpfulCount: number;
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postChatCustomerServiceAsk: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          question: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              answers: {
                faqId: number;
                question: string;
                answer: string;
                score: number;
              }[];
              suggestHuman: boolean;
              message: components['schemas']['ChatMessage'];
              questionMessage: components['schemas']['ChatMessage'];
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postChatCustomerServiceEscalate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Conversation'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postChatCustomerServiceComplaint: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          orderId: number;
          /** @enum {string} */
          type: 'quality' | 'service' | 'price' | 'other';
          content: string;
          images?: number[];
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: {
              complaint: {
                id: number;
                orderId: number;
                orderNo: string;
                type: string;
                status: string;
                level: string;
                createdAt: string;
              };
              message: components['schemas']['ChatMessage'];
            };
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminFaq: {
    parameters: {
      query?: {
        keyword?: string;
        category?: 'order' | 'fee' | 'payment' | 'invoice' | 'after_sales' | 'account' | 'electrician' | 'other';
        active?: '0' | '1' | 'true' | 'false';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminFaqArticle'][];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminFaq: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          category: 'order' | 'fee' | 'payment' | 'invoice' | 'after_sales' | 'account' | 'electrician' | 'other';
          question: string;
          answer: string;
          /** @default [] */
          keywords?: string[];
          /** @default true */
          active?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminFaqArticle'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteAdminFaqById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: Record<string, never>;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  patchAdminFaqById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          category?: 'order' | 'fee' | 'payment' | 'invoice' | 'after_sales' | 'account' | 'electrician' | 'other';
          question?: string;
          answer?: string;
          keywords?: string[];
          active?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminFaqArticle'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminFaqUnanswered: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['FaqUnanswered'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteAdminFaqUnansweredById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: Record<string, never>;
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getElectriciansMeWallet: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Wallet'];
          };
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getElectriciansMeWithdrawals: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Withdrawal'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postElectriciansMeWithdrawals: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          amount: number;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Withdrawal'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getWithdrawalsByWithdrawalNo: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        withdrawalNo: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Withdrawal'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postPaymentsTransferNotify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No content */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getAdminWithdrawals: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
        status?: 'reviewing' | 'approved' | 'wait_user_confirm' | 'succeeded' | 'failed' | 'cancelled';
        electricianId?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminWithdrawalRow'][];
            pagination: components['schemas']['Pagination'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminWithdrawalsByWithdrawalNoApprove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        withdrawalNo: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminWithdrawal'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postAdminWithdrawalsByWithdrawalNoReject: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        withdrawalNo: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['AdminWithdrawal'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  postDevWithdrawalsByWithdrawalNoConfirm: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        withdrawalNo: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /**
           * @default SUCCESS
           * @enum {string}
           */
          result?: 'SUCCESS' | 'FAIL';
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            data: components['schemas']['Withdrawal'];
          };
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description Any other error (a conflict of state is 409, an outage 503): the error envelope */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
}
