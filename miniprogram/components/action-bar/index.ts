/**
 * The page's main actions in a bar fixed to the bottom, above the home indicator
 * (env(safe-area-inset-bottom)), whatever the scroll; a spacer of the bar's height ends the page
 * so that nothing stays under it. The actions are the slot (styled by the page; a button with
 * class `action-bar__main` takes the free width, see app.wxss).
 */
Component({
  options: { multipleSlots: false },
});
