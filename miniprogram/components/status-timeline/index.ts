/** An order's steps, newest first: what happened and when; the newest is marked as the current one. */
export interface TimelineStep {
  id: number;
  text: string;
  timeText: string;
}

Component({
  properties: {
    steps: { type: Array, value: [] as TimelineStep[] },
  },
});
