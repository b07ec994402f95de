/**
 * Settlement waits while a complaint about the order is open (SPEC 3.3). There is no complaints
 * module yet, so no order can have an open complaint and this answers false; the complaints module,
 * when it exists, replaces this function's body with its own query — the settlement job already
 * asks it for every payment it is about to settle.
 */
export async function hasOpenComplaint(_orderId: number): Promise<boolean> {
  return false;
}
