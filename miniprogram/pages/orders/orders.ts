import { roleHost } from '../../utils/role-host';

/** Tab page 「订单」: the customer's or the electrician's, by the signed-in role (utils/role-host.ts). */
Component({
  data: {
    role: '' as '' | 'customer' | 'electrician',
  },
  methods: {
    ...roleHost(),
  },
});
