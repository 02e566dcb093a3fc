from django.urls import path

from coproduce.consultations import views

app_name = "consultations"

urlpatterns = [
    # Public: the form's address is its random code, never the service's name.
    path("f/<str:code>/", views.answer, name="answer"),
    path("f/<str:code>/<int:number>/", views.answer_section, name="answer_section"),
    path("f/<str:code>/done/", views.answer_done, name="answer_done"),
    # Staff of the provider.
    path("manage/services/<str:reference>/", views.service_forms, name="service_forms"),
    path("manage/services/<str:reference>/new/", views.form_create, name="form_create"),
    path("manage/<int:pk>/", views.form_detail, name="form"),
    path("manage/<int:pk>/settings/", views.form_settings, name="form_settings"),
    path("manage/<int:pk>/new-version/", views.version_new, name="version_new"),
    path("manage/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("manage/<int:pk>/close/", views.form_close, name="form_close"),
    path("manage/<int:pk>/sections/new/", views.section_add, name="section_add"),
    path("manage/sections/<int:pk>/", views.section_edit, name="section_edit"),
    path("manage/sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("manage/sections/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("manage/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("manage/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("manage/<int:pk>/qr.svg", views.form_qr, name="form_qr"),
    path("manage/<int:pk>/print/", views.form_print, name="form_print"),
    path("manage/<int:pk>/enter/", views.paper_entry, name="paper_entry"),
    path("manage/<int:pk>/results/", views.form_results, name="form_results"),
    path(
        "manage/<int:pk>/responses.<str:fmt>",
        views.form_results_table,
        name="form_results_table",
    ),
    path("f/<str:code>/open-data.json", views.form_open_data, name="form_open_data"),
]
