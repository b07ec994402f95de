import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import type { Permission } from '@shared/permissions';
import { setSignedOutHandler } from './api/http';
import { can, session } from './session';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** The permission a page needs; the menu hides what the role may not open. */
    permission?: Permission;
    public?: boolean;
  }
}

export const pages: RouteRecordRaw[] = [
  {
    path: '/dashboard',
    name: 'dashboard',
    component: () => import('./views/dashboard/DashboardView.vue'),
    meta: { title: '工作台', permission: 'stats.read' },
  },
  {
    path: '/orders',
    name: 'orders',
    component: () => import('./views/orders/OrdersView.vue'),
    meta: { title: '工单', permission: 'orders.read' },
  },
  {
    path: '/electricians',
    name: 'electricians',
    component: () => import('./views/electricians/ElectriciansView.vue'),
    meta: { title: '电工审核', permission: 'electricians.read' },
  },
  {
    path: '/complaints',
    name: 'complaints',
    component: () => import('./views/complaints/ComplaintsView.vue'),
    meta: { title: '售后投诉', permission: 'complaints.read' },
  },
  {
    path: '/reviews',
    name: 'reviews',
    component: () => import('./views/reviews/ReviewsView.vue'),
    meta: { title: '评价管理', permission: 'reviews.moderate' },
  },
  {
    path: '/chat',
    name: 'chat',
    component: () => import('./views/chat/ChatView.vue'),
    meta: { title: '客服会话', permission: 'chat.service' },
  },
  {
    path: '/finance',
    name: 'finance',
    component: () => import('./views/finance/FinanceView.vue'),
    meta: { title: '财务', permission: 'finance.read' },
  },
  {
    path: '/withdrawals',
    name: 'withdrawals',
    component: () => import('./views/payouts/WithdrawalsView.vue'),
    meta: { title: '提现审核', permission: 'finance.payouts' },
  },
  {
    path: '/invoices',
    name: 'invoices',
    component: () => import('./views/invoices/InvoicesView.vue'),
    meta: { title: '发票', permission: 'finance.invoices' },
  },
  {
    path: '/faq',
    name: 'faq',
    component: () => import('./views/faq/FaqView.vue'),
    meta: { title: '知识库', permission: 'faq.manage' },
  },
  {
    path: '/stock',
    name: 'stock',
    component: () => import('./views/inventory/StockView.vue'),
    meta: { title: '库存', permission: 'inventory.read' },
  },
  {
    path: '/parts-requests',
    name: 'parts-requests',
    component: () => import('./views/inventory/PartsRequestsView.vue'),
    meta: { title: '配件申请', permission: 'inventory.read' },
  },
  {
    path: '/catalog',
    name: 'catalog',
    component: () => import('./views/inventory/CatalogView.vue'),
    meta: { title: '价目表', permission: 'catalog.manage' },
  },
  {
    path: '/staff',
    name: 'staff',
    component: () => import('./views/staff/StaffView.vue'),
    meta: { title: '员工与权限', permission: 'staff.manage' },
  },
  {
    path: '/audit',
    name: 'audit',
    component: () => import('./views/audit/AuditView.vue'),
    meta: { title: '操作日志', permission: 'audit.read' },
  },
];

/** The first page the signed-in role may open. */
export const home = () => pages.find((p) => !p.meta?.permission || can(p.meta.permission))?.path ?? '/login';

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./views/login/LoginView.vue'),
      meta: { title: '登录', public: true },
    },
    ...pages,
    { path: '/:rest(.*)*', redirect: () => (session.current ? home() : '/login') },
  ],
});

router.beforeEach((to) => {
  if (to.meta.public) return true;
  if (!session.current) return { path: '/login', query: { redirect: to.fullPath } };
  if (to.meta.permission && !can(to.meta.permission)) return home();
  return true;
});
router.afterEach((to) => {
  document.title = `${to.meta.title ?? ''} · 电工维修平台运维后台`;
});

setSignedOutHandler(() => {
  void router.push('/login');
});
